"""Entry point for `flask run` and WSGI servers (gunicorn wsgi:app)."""
from spiegel import create_app

app = create_app()
