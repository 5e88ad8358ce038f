"""常用意见: each reviewer's reusable opinions (issue 27)."""
