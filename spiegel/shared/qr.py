"""QR codes as vector SVG (the posters' join links)."""
from markupsafe import Markup, escape

from spiegel.shared.svg import svg_document


def qr_code(data: str, *, title: str, desc: str = "") -> Markup:
    """A QR code as vector SVG (the ``qrcode`` package's path factory), scalable to any size:
    one path of dark modules on a white square with the standard four-module quiet zone."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(data)
    qr.make(fit=True)
    image = qr.make_image(image_factory=SvgPathImage)
    size = qr.modules_count + 2 * qr.border
    path = image.path.get("d", "")
    body = (f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path d="{escape(path)}" fill="#000" shape-rendering="crispEdges"/>')
    return svg_document(size, size, title, desc or data, body, "qr-code")
