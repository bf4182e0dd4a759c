// Sends COUNT Filebeat-like events tagged with RUN to a Lumberjack v2 server with the
// third-party npm client `lumberjack-client` (compressed windows), over TLS when a CA file is
// given, then stays connected until killed: the client never reads ACKs, and closing a socket
// with unread data resets it, which can lose what the server has not read yet.
// Usage: node lumberjack_client_send.js PORT COUNT RUN [CA_PEM]
const fs = require('fs')
const Client = require('lumberjack-client')
const [port, count, run, ca] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4], process.argv[5]]
const config = { host: '127.0.0.1', port }
if (ca) {
  config.ca = fs.readFileSync(ca)
  config.servername = 'localhost'
}
const client = new Client(config, Boolean(ca))
let i = 0
function burst() {
  for (let k = 0; k < 250 && i < count; k++, i++) {
    client.log({
      '@timestamp': new Date().toISOString(),
      message: `interop run ${run} event ${i}`,
      labels: { run },
      agent: { type: 'filebeat', id: run, version: '8.15.0' },
      log: { file: { path: '/var/log/interop.log' }, offset: i * 100 },
    })
  }
  if (i < count) setTimeout(burst, 10); else drained()
}
const deadline = Date.now() + 60000
function drained() {
  const socket = client.socket
  if (client.connected && client.queue.length === 0 && socket && socket.writableLength === 0) {
    setInterval(() => {}, 1000) // sent everything; wait to be killed
  } else if (Date.now() > deadline) {
    console.error(`not drained: connected=${client.connected} queued=${client.queue.length}`)
    process.exit(2)
  } else {
    setTimeout(drained, 50)
  }
}
setTimeout(burst, 300)
