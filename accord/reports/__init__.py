"""Reports: incident analytics and transparency reports, as HTML, JSON and PDF, with charts."""
