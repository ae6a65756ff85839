"""Security headers on every response; forms carrying NUL characters are refused."""
from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
           ("Referrer-Policy", "same-origin"))


def init_security(app: Flask) -> None:
    if proxies := int(app.config.get("PROXY_FIX_X_FOR", 0)):
        # Behind a reverse proxy: the client's address (for rate limits) and the scheme come from it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.before_request
    def refuse_nul_characters():
        """No keyboard types a NUL character and PostgreSQL cannot store one in text: a form that
        carries one is refused whole (400) before any view stores part of it."""
        if request.method in ("POST", "PUT", "PATCH") and any(
                "\x00" in key or "\x00" in value for key, value in request.form.items(multi=True)):
            abort(400)

    @app.after_request
    def headers(response):
        # Added rather than set: no view sets these, and Headers.setdefault costs several times more.
        response.headers.extend(HEADERS)
        return response
