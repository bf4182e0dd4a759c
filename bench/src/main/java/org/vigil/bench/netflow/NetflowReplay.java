package org.vigil.bench.netflow;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.vigil.bench.TokenBucket;
import org.vigil.collectors.netflow.NetflowExporterKey;

/**
 * Replays recorded NetFlow v9 and IPFIX captures at a collector over UDP as several exporters at
 * once: exporter {@code i} replays capture {@code i % captures} with domain {@code firstDomain + i}
 * from a socket of its own, and one sender thread takes the exporters in turn, one datagram each.
 * Every datagram is built once and patched in place ({@link NetflowExporterStream}), so the sender
 * allocates nothing per datagram and its cost is the system call.
 *
 * <p>Paced in flows per second with a {@link TokenBucket}, or as fast as the sockets take them.
 */
public final class NetflowReplay {
  /**
   * Where datagrams go, by family.
   *
   * @param netflow the collector's NetFlow v9 UDP port, or null when no capture is v9
   * @param ipfix the collector's IPFIX UDP port, or null when no capture is IPFIX
   */
  public record Target(InetSocketAddress netflow, InetSocketAddress ipfix) {
    InetSocketAddress of(NetflowExporterKey.Family family) {
      InetSocketAddress address = family == NetflowExporterKey.Family.IPFIX ? ipfix : netflow;
      if (address == null) {
        throw new IllegalArgumentException(
            "no " + family.wireName() + " port to send to, but a capture is " + family.wireName());
      }
      return address;
    }
  }

  /**
   * How much to send.
   *
   * @param flows stop once this many flows are sent, 0 for no such limit
   * @param duration stop after this long, zero for no such limit
   * @param flowsPerSecond pace, 0 for as fast as possible
   */
  public record Load(long flows, Duration duration, double flowsPerSecond) {
    public Load {
      Objects.requireNonNull(duration, "duration");
      if (flows < 0) {
        throw new IllegalArgumentException("flows must be 0 (no limit) or more: " + flows);
      }
      if (duration.isNegative()) {
        throw new IllegalArgumentException("duration must not be negative: " + duration);
      }
      if (flows == 0 && duration.isZero()) {
        throw new IllegalArgumentException("give a number of flows or a duration, or both");
      }
      if (flowsPerSecond < 0 || Double.isNaN(flowsPerSecond) || Double.isInfinite(flowsPerSecond)) {
        throw new IllegalArgumentException("rate must be 0 (as fast as possible) or more");
      }
    }

    public static Load flows(long flows) {
      return new Load(flows, Duration.ZERO, 0);
    }

    public static Load lasting(Duration duration) {
      return new Load(0, duration, 0);
    }

    public Load withRate(double perSecond) {
      return new Load(flows, duration, perSecond);
    }

    public Load withDuration(Duration d) {
      return new Load(flows, d, flowsPerSecond);
    }
  }

  /**
   * What one run sent.
   *
   * @param datagrams datagrams sent, template datagrams included
   * @param templateDatagrams of those, datagrams that define templates
   * @param flows flow records in the datagrams sent
   * @param elapsed from the first send to the last
   */
  public record Summary(long datagrams, long templateDatagrams, long flows, Duration elapsed) {
    public double flowsPerSecond() {
      double s = elapsed.toNanos() / 1e9;
      return s <= 0 ? 0 : flows / s;
    }

    public double datagramsPerSecond() {
      double s = elapsed.toNanos() / 1e9;
      return s <= 0 ? 0 : datagrams / s;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "sent %d flows in %d datagrams (%d with templates) in %.2f s: %.0f flows/s, %.0f"
              + " datagrams/s",
          flows,
          datagrams,
          templateDatagrams,
          elapsed.toNanos() / 1e9,
          flowsPerSecond(),
          datagramsPerSecond());
    }
  }

  private final List<NetflowExporterStream> exporters;
  private volatile long flowsSent;
  private volatile long datagramsSent;

  /**
   * @param captures what the exporters replay, shared out in turn
   * @param exporters how many exporters to simulate
   * @param firstDomain domain of exporter 0; exporter {@code i} has {@code firstDomain + i}
   * @param templateInterval data datagrams per exporter between template refreshes, 0 for only at
   *     the start (Cisco's v9 default is 20 packets)
   */
  public NetflowReplay(
      List<NetflowCapture> captures, int exporters, long firstDomain, int templateInterval) {
    if (captures.isEmpty()) {
      throw new IllegalArgumentException("no capture to replay");
    }
    if (exporters < 1) {
      throw new IllegalArgumentException("at least one exporter: " + exporters);
    }
    if (firstDomain < 0 || firstDomain + exporters - 1 > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "domains " + firstDomain + ".." + (firstDomain + exporters - 1) + " exceed 32 bits");
    }
    List<NetflowExporterStream> streams = new ArrayList<>();
    for (int i = 0; i < exporters; i++) {
      streams.add(
          new NetflowExporterStream(
              captures.get(i % captures.size()), firstDomain + i, templateInterval));
    }
    this.exporters = List.copyOf(streams);
  }

  /** Flows sent so far, by all runs; readable from any thread while a run goes on. */
  public long flowsSent() {
    return flowsSent;
  }

  /** Datagrams sent so far, by all runs; readable from any thread. */
  public long datagramsSent() {
    return datagramsSent;
  }

  public int exporters() {
    return exporters.size();
  }

  /**
   * Sends until the load's flows are sent or its time is up. The exporters keep their state between
   * runs, so a warm-up run followed by a measured one is one unbroken stream per exporter.
   *
   * @throws IOException naming the target when nothing listens there or a send fails
   */
  public Summary run(Target target, Load load) throws IOException, InterruptedException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(load, "load");
    DatagramChannel[] channels = new DatagramChannel[exporters.size()];
    try {
      for (int i = 0; i < channels.length; i++) {
        InetSocketAddress address = target.of(exporters.get(i).family());
        channels[i] = DatagramChannel.open();
        channels[i].connect(address);
      }
      return send(channels, target, load);
    } finally {
      for (DatagramChannel c : channels) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  private Summary send(DatagramChannel[] channels, Target target, Load load)
      throws IOException, InterruptedException {
    TokenBucket pacer = load.flowsPerSecond() > 0 ? new TokenBucket(load.flowsPerSecond()) : null;
    long start = System.nanoTime();
    long deadline = load.duration().isZero() ? Long.MAX_VALUE : start + load.duration().toNanos();
    long flows = 0;
    long datagrams = 0;
    long templateDatagrams = 0;
    long last = start;
    int i = 0;
    while ((load.flows() == 0 || flows < load.flows()) && last < deadline) {
      NetflowExporterStream exporter = exporters.get(i);
      ByteBuffer datagram = exporter.next(System.currentTimeMillis() / 1000);
      int n = exporter.lastFlows();
      if (pacer != null) {
        for (int k = 0; k < n; k++) {
          pacer.acquire();
        }
      }
      try {
        channels[i].write(datagram);
      } catch (PortUnreachableException e) {
        throw new IOException(
            "nothing listens on udp " + target.of(exporter.family()) + " (port unreachable)", e);
      }
      flows += n;
      datagrams++;
      if (exporter.lastWasTemplate()) {
        templateDatagrams++;
      }
      flowsSent += n;
      datagramsSent++;
      // A template refresh goes out whole before the turn passes, as an exporter sends it.
      if (!exporter.lastWasTemplate()) {
        i = (i + 1) % channels.length;
      }
      last = System.nanoTime();
    }
    return new Summary(datagrams, templateDatagrams, flows, Duration.ofNanos(last - start));
  }
}
