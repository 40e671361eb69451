"""A one-request stand-in for GameLift Streams, for the admin_shell example in CI: answers a
signed CreateStreamSessionAdminShell with a session, and fails the request otherwise."""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        self.rfile.read(length)
        auth = self.headers.get("authorization", "")
        ok = self.path == "/streamgroups/sg-1AB2C3De4/streamsessions/ABC123def4567/access" and "/us-west-2/gameliftstreams/aws4_request" in auth
        body = json.dumps({"SessionId": "sess-42", "StreamUrl": "wss://ssm.example/stream", "TokenValue": "token-42"} if ok else {"message": "unexpected request"}).encode()
        self.send_response(200 if ok else 400)
        self.send_header("content-type", "application/json")
        self.send_header("x-amzn-requestid", "req-ci")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.handle_request()
server.handle_request()
