"""Service-quality assessment plugin ("Đánh giá sự hài lòng"); see plugin.py and docs/ASSESSMENT.md."""
