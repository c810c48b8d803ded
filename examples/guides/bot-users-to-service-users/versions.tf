terraform {
  required_providers {
    ngrok = {
      source  = "seed-66e0ccfd/ngrok"
      version = ">= 0.1.0"
    }
  }
}
