"""A real SAML identity provider (pysaml2's Server) for tests and the local browser test.

It plays NemLog-in: verifies our signed AuthnRequest, then answers with a
signed assertion in the OIOSAML 3 attribute profile, or with any of the faults
the service provider must refuse. Keys are generated on the spot; nothing is
fetched from the network.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import read_cert_from_file
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from . import config as sp


def make_keypair(directory: Path, name: str) -> tuple[str, str]:
    """A fresh RSA key and self-signed certificate as PEM files; returns (key path, cert path)."""
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"jobunivers-test-{name}")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


def _idp_config(*, entity_id: str, base_url: str, key: str, cert: str, sp_metadata: str | None) -> IdPConfig:
    conf = IdPConfig()
    conf.load({
        "entityid": entity_id,
        "xmlsec_binary": sp.xmlsec_binary(),
        "key_file": key,
        "cert_file": cert,
        "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        "service": {"idp": {
            "endpoints": {
                "single_sign_on_service": [(f"{base_url}/sso", BINDING_HTTP_REDIRECT)],
                "single_logout_service": [(f"{base_url}/slo", BINDING_HTTP_REDIRECT)],
            },
            "want_authn_requests_signed": True,
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None,
                                   "name_form": NAME_FORMAT_URI}},
        }},
    })
    return conf


@dataclass
class Answer:
    saml_response: str  # base64, as posted to our ACS
    request_id: str
    relay_state: str


class LocalIdP:
    """Use: idp = LocalIdP(tmp); settings.SAML_IDP_METADATA = idp.metadata(); idp.trust_sp(sp_metadata)."""

    def __init__(self, directory: Path, *, entity_id: str = "https://idp.nemlog-in.local.test/",
                 base_url: str = "http://idp.local.test"):
        self.entity_id, self.base_url = entity_id, base_url
        self.key, self.cert = make_keypair(Path(directory), "idp")
        self.rogue_key, self.rogue_cert = make_keypair(Path(directory), "rogue")
        self.server: Server | None = None

    def metadata(self) -> str:
        conf = _idp_config(entity_id=self.entity_id, base_url=self.base_url, key=self.key, cert=self.cert,
                           sp_metadata=None)
        return create_metadata_string(None, config=conf, sign=False).decode()

    def trust_sp(self, sp_metadata: str) -> None:
        conf = _idp_config(entity_id=self.entity_id, base_url=self.base_url, key=self.key, cert=self.cert,
                           sp_metadata=sp_metadata)
        self.server = Server(config=conf)

    def read_request(self, redirect_url: str):
        """Parse and signature-check the AuthnRequest in our redirect to the IdP."""
        assert self.server is not None, "call trust_sp() first"
        query = {k: v[0] for k, v in parse_qs(urlparse(redirect_url).query).items()}
        parsed = self.server.parse_authn_request(
            query["SAMLRequest"], BINDING_HTTP_REDIRECT, relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"), signature=query.get("Signature"),
        )
        return parsed.message, query.get("RelayState", "")

    def answer(self, redirect_url: str, *, cpr: str = "0101901234", loa: str = "Substantial",
               spec_version: str = "OIO-SAML-3.0", first_name: str = "Test", last_name: str = "Borger",
               audience: str | None = None, sign: bool = True, rogue_key: bool = False,
               extra: dict | None = None, omit: tuple[str, ...] = (), name_id: str | None = None) -> Answer:
        request, relay_state = self.read_request(redirect_url)
        assert self.server is not None
        identity = {
            sp.ATTR_SPEC_VERSION: [spec_version],
            sp.ATTR_LOA: [loa],
            sp.ATTR_CPR: [cpr],
            sp.ATTR_FIRST_NAME: [first_name],
            sp.ATTR_LAST_NAME: [last_name],
        }
        for name in omit:
            identity.pop(name, None)
        identity.update(extra or {})
        name_id = NameID(format=NAMEID_FORMAT_PERSISTENT, text=name_id or f"https://data.gov.dk/model/core/eid/person/uuid/"
                                                                          f"{abs(hash(cpr)) % 10**12:012d}")
        original_key, original_cert = self.server.sec.key_file, self.server.sec.my_cert
        if rogue_key:
            # Signed, but with a key the SP does not know (not in the IdP's metadata).
            self.server.sec.key_file = self.rogue_key
            self.server.sec.my_cert = read_cert_from_file(self.rogue_cert, "pem")
        try:
            response = self.server.create_authn_response(
                identity=identity, in_response_to=request.id, destination=request.assertion_consumer_service_url,
                sp_entity_id=audience or request.issuer.text, name_id=name_id,
                authn={"class_ref": "https://data.gov.dk/concept/core/nsis/loa/" + loa, "authn_auth": self.entity_id},
                sign_assertion=sign, sign_response=False,
                sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256,
            )
        finally:
            self.server.sec.key_file, self.server.sec.my_cert = original_key, original_cert
        encoded = base64.b64encode(str(response).encode()).decode()
        return Answer(saml_response=encoded, request_id=request.id, relay_state=relay_state)


__all__ = ["LocalIdP", "make_keypair", "Answer", "BINDING_HTTP_POST"]


# A local HTTP front for the browser test: a login page that asks for a CPR number and answers.

def _page(title: str, body: str) -> bytes:
    import html as _html

    return (f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{_html.escape(title)}</title></head>'
            f'<body><main><h1>{_html.escape(title)}</h1>{body}</main></body></html>').encode()


CPR_FIELDS = ('<label for="cpr">CPR-nummer (test)</label> <input id="cpr" name="cpr" autocomplete="off"> '
              '<label for="loa">Sikringsniveau</label> <select id="loa" name="loa"><option>Substantial</option>'
              '<option>High</option><option>Low</option></select>')


def serve(idp: LocalIdP, host: str = "127.0.0.1", port: int = 0, *, title: str = "Test-MitID",
          ask: str = CPR_FIELDS, answer_for=None):
    """Start the IdP's /sso page in a thread; returns the server (server.server_address has the port).

    `ask` is the HTML of the form fields, `answer_for(redirect_url, fields)` the answer to send
    (default: a citizen with the CPR number and level entered).

    GET /sso?<signed AuthnRequest>  -> a form asking for the test person's CPR number
    POST /login                      -> a form that posts the signed answer to our ACS (no JavaScript needed)
    """
    import html
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs as _parse_qs

    if answer_for is None:
        def answer_for(url, fields):
            return idp.answer(url, cpr=fields.get("cpr", ""), loa=fields.get("loa", "Substantial"))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet (and free of CPR numbers)
            pass

        def _send(self, status: int, body: bytes):
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802
            if not self.path.startswith("/sso?"):
                return self._send(404, _page("Not found", ""))
            try:
                idp.read_request(idp.base_url + self.path)
            except Exception as error:  # noqa: BLE001
                return self._send(400, _page("Bad request", f"<p>{html.escape(type(error).__name__)}</p>"))
            form = (f'<form method="post" action="/login"><input type="hidden" name="request" '
                    f'value="{html.escape(self.path)}">{ask} <button type="submit">Log ind</button></form>')
            return self._send(200, _page(title, form))

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            fields = {k: v[0] for k, v in _parse_qs(self.rfile.read(length).decode()).items()}
            try:
                answer = answer_for(idp.base_url + fields["request"], fields)
            except Exception as error:  # noqa: BLE001
                return self._send(400, _page("Bad request", f"<p>{html.escape(type(error).__name__)}</p>"))
            request, _relay = idp.read_request(idp.base_url + fields["request"])
            form = (f'<form method="post" action="{html.escape(request.assertion_consumer_service_url)}">'
                    f'<input type="hidden" name="SAMLResponse" value="{html.escape(answer.saml_response)}">'
                    f'<input type="hidden" name="RelayState" value="{html.escape(answer.relay_state)}">'
                    f'<button type="submit">Fortsæt</button></form>')
            return self._send(200, _page(f"{title}: fortsæt", form))

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
