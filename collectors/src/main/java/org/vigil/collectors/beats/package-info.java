/**
 * The Beats input: a Lumberjack v2 (and v1) server that acknowledges only what Kafka holds.
 *
 * <p>Pipeline per connection, each handler with one role: {@code SslHandler} (optional) → {@link
 * io.netty.handler.timeout.IdleStateHandler} → {@link org.vigil.collectors.beats.BeatsAckEncoder} →
 * {@link org.vigil.collectors.beats.BeatsFrameDecoder} → {@link
 * org.vigil.collectors.beats.BeatsInflateHandler} → {@link
 * org.vigil.collectors.beats.BeatsBatchHandler}. The codec, {@link
 * org.vigil.collectors.beats.LumberjackFrameParser}, is a pure function of bytes.
 *
 * <h2>Raw record on {@code vigil.raw.beats}</h2>
 *
 * <p>One Kafka record per run of a window's events, up to 256 KiB (a window read at once, as a
 * compressed window is, goes in as few records as fit):
 *
 * <ul>
 *   <li>key: the client's IP address, so one client's events stay in order in one partition;
 *   <li>value: the events' JSON documents in the order sent, each byte for byte as the client sent
 *       it inside its J frame (for a v1 D frame, a JSON object of its string key/value pairs), each
 *       behind its length ({@link org.vigil.model.Payloads});
 *   <li>headers: the {@link org.vigil.model.Envelope} ({@code vigil.protocol=beats}, {@code
 *       vigil.transport=tcp|tls}, peer address and port, received-at, collector id), plus {@code
 *       vigil.payloads} (how many events), {@code vigil.beats.version} ({@code 1} or {@code 2}) and
 *       {@code vigil.beats.frame} ({@code J}, or {@code D} when the values were built from v1
 *       pairs).
 * </ul>
 *
 * <p>Records written before events were gathered hold one event, the whole value, and no {@code
 * vigil.payloads} header; the job reads both.
 *
 * <p>The job derives the document {@code _id} with {@link
 * org.vigil.collectors.beats.BeatsEventId#of}, from the event alone, so a window the client resends
 * after a lost ACK overwrites its first copy.
 */
package org.vigil.collectors.beats;
