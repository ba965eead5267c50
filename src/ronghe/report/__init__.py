"""Front ends that turn a Result into files: Excel workbooks, HTML pages, figures."""
