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
 * <p>One Kafka record per event:
 *
 * <ul>
 *   <li>key: the client's IP address, so one client's events stay in order in one partition;
 *   <li>value: the event's JSON document, byte for byte as the client sent it inside its J frame
 *       (for a v1 D frame, a JSON object of its string key/value pairs);
 *   <li>headers: the {@link org.vigil.model.Envelope} ({@code vigil.protocol=beats}, {@code
 *       vigil.transport=tcp|tls}, peer address and port, received-at, collector id), plus {@code
 *       vigil.beats.version} ({@code 1} or {@code 2}) and {@code vigil.beats.frame} ({@code J}, or
 *       {@code D} when the value was built from v1 pairs).
 * </ul>
 *
 * <p>The job derives the document {@code _id} with {@link
 * org.vigil.collectors.beats.BeatsEventId#of}, from the event alone, so a window the client resends
 * after a lost ACK overwrites its first copy.
 */
package org.vigil.collectors.beats;
