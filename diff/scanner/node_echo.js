// A parse-reporting origin for the real-server scanner on node's http
// module (llhttp): every request is answered with 200 and a JSON body of
// its parse ({method, target, version, headers, body}, bytes as Latin-1).
//   node node_echo.js PORT
'use strict';
const http = require('http');

const port = Number(process.argv[2]);
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const headers = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
    }
    const out = JSON.stringify({
      method: req.method,
      target: req.url,
      version: req.httpVersion,
      headers,
      body: Buffer.concat(chunks).toString('latin1'),
    }) + '\n';
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(out),
      'X-Scan-Echo': 'node',
    });
    res.end(out);
  });
}).listen(port, '127.0.0.1');
