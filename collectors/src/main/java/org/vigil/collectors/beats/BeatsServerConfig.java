package org.vigil.collectors.beats;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link BeatsServer}.
 *
 * @param bindHost address to listen on, IPv4 or IPv6; {@code 0.0.0.0} or {@code ::} for all
 * @param port the Beats port (Logstash's 5044 by default); 0 picks a free one (see {@link
 *     BeatsServer#port()})
 * @param collectorId names this collector instance in every record's envelope
 * @param limits window, frame and inflated sizes a connection may use
 * @param idleTimeout a connection that sends nothing for this long, while it owes us data rather
 *     than waits for an ACK, is closed (Logstash's {@code client_inactivity_timeout} is 60 s)
 * @param keepAliveInterval while a window waits for Kafka, an ACK of what is acknowledged so far is
 *     sent after this long without other writes (go-lumber: 3 s); it must be well below the
 *     client's timeout (Filebeat's {@code output.logstash.timeout} is 30 s)
 * @param maxAwaitingKafka events of one connection waiting for Kafka at which it stops reading
 * @param tls makes the port TLS-only; null for plain TCP
 */
public record BeatsServerConfig(
    String bindHost,
    int port,
    String collectorId,
    LumberjackLimits limits,
    Duration idleTimeout,
    Duration keepAliveInterval,
    int maxAwaitingKafka,
    BeatsTlsConfig tls) {

  public static final String DEFAULT_BIND_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 5044;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(3);

  /** Two of Filebeat's default windows of 2,048 pipelined, several times over. */
  public static final int DEFAULT_MAX_AWAITING_KAFKA = 20_000;

  public BeatsServerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(collectorId, "collectorId");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("beats port must be between 0 and 65535: " + port);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    if (keepAliveInterval.isNegative() || keepAliveInterval.isZero()) {
      throw new IllegalArgumentException(
          "keepAliveInterval must be positive: " + keepAliveInterval);
    }
    if (maxAwaitingKafka < 2) {
      throw new IllegalArgumentException(
          "maxAwaitingKafka must be at least 2: " + maxAwaitingKafka);
    }
  }

  /** All defaults: 0.0.0.0:5044, plain TCP, {@link LumberjackLimits#defaults()}. */
  public static BeatsServerConfig defaults(String collectorId) {
    return new BeatsServerConfig(
        DEFAULT_BIND_HOST,
        DEFAULT_PORT,
        collectorId,
        LumberjackLimits.defaults(),
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_KEEP_ALIVE_INTERVAL,
        DEFAULT_MAX_AWAITING_KAFKA,
        null);
  }

  public BeatsServerConfig withBindHost(String host) {
    return new BeatsServerConfig(
        host, port, collectorId, limits, idleTimeout, keepAliveInterval, maxAwaitingKafka, tls);
  }

  public BeatsServerConfig withPort(int newPort) {
    return new BeatsServerConfig(
        bindHost,
        newPort,
        collectorId,
        limits,
        idleTimeout,
        keepAliveInterval,
        maxAwaitingKafka,
        tls);
  }

  public BeatsServerConfig withLimits(LumberjackLimits newLimits) {
    return new BeatsServerConfig(
        bindHost,
        port,
        collectorId,
        newLimits,
        idleTimeout,
        keepAliveInterval,
        maxAwaitingKafka,
        tls);
  }

  public BeatsServerConfig withIdleTimeout(Duration timeout) {
    return new BeatsServerConfig(
        bindHost, port, collectorId, limits, timeout, keepAliveInterval, maxAwaitingKafka, tls);
  }

  public BeatsServerConfig withKeepAliveInterval(Duration interval) {
    return new BeatsServerConfig(
        bindHost, port, collectorId, limits, idleTimeout, interval, maxAwaitingKafka, tls);
  }

  public BeatsServerConfig withMaxAwaitingKafka(int events) {
    return new BeatsServerConfig(
        bindHost, port, collectorId, limits, idleTimeout, keepAliveInterval, events, tls);
  }

  /**
   * @param newTls TLS settings; null for plain TCP
   */
  public BeatsServerConfig withTls(BeatsTlsConfig newTls) {
    return new BeatsServerConfig(
        bindHost,
        port,
        collectorId,
        limits,
        idleTimeout,
        keepAliveInterval,
        maxAwaitingKafka,
        newTls);
  }
}
