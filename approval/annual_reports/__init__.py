"""政府信息公开工作年度报告 (issue 23): docs/annual-report.md."""
