package org.vigil.bench.beats;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import org.vigil.collectors.beats.LumberjackLimits;

/**
 * Load for a Lumberjack v2 server, as a fleet of Filebeats sends it: several concurrent clients,
 * each on its own connection and thread, sending compressed windows of JSON events and counting a
 * window delivered only when the server acknowledges its last sequence number. Vigil's server
 * acknowledges only what Kafka confirmed, so the acknowledged count is the count in Kafka.
 *
 * <p>Every window is built and compressed before the clock starts and sent as one byte array, so
 * the measured time is the server's, not the generator's: sequence numbers restart at 1 in every
 * window, as in go-lumber, and need no patching. Each event is a file line with its own agent id
 * ({@code <run>-<client>}) and log offset, so each becomes its own document; the run id in {@code
 * labels.bench_run} lets a count in Elasticsearch find exactly this load's events.
 *
 * <p>Wire layout of one window (Lumberjack v2, all integers big-endian):
 *
 * <pre>
 * '2' 'W' count:u32                      window: how many events follow
 * '2' 'C' length:u32 zlib(...)           compressed frame holding, per event:
 *     '2' 'J' seq:u32 length:u32 json    seq 1..count
 * server → client: '2' 'A' seq:u32       ACK; seq below count is a keep-alive
 * </pre>
 *
 * <p>A client that loses its connection or gets no ACK within the ACK timeout reconnects and sends
 * the unacknowledged windows again, as Filebeat does; their events keep their document ids, so the
 * index holds each once.
 */
public final class BeatsLoad {
  /** Filebeat's {@code output.logstash.compression_level} default. */
  static final int COMPRESSION_LEVEL = 3;

  /** Keeps a single load from holding gigabytes of pre-built windows. */
  public static final long MAX_EVENTS = 50_000_000L;

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(1);

  /**
   * What to send, where and how.
   *
   * @param target the Beats port
   * @param clients concurrent connections, each on its own thread
   * @param events events in all, shared out evenly over the clients
   * @param windowSize events per window (Filebeat's {@code bulk_max_size}, 2,048 by default)
   * @param inFlight windows a client sends before it waits for the oldest one's ACK: 1 is
   *     Filebeat's {@code pipelining: 0}, 2 its default
   * @param runId marks this load's events ({@code labels.bench_run}) and their agent ids
   * @param ackTimeout how long a client waits for any ACK before it reconnects and resends
   *     (Filebeat's {@code timeout}, 30 s)
   * @param maxReconnects reconnects a client may make before the load fails
   */
  public record Settings(
      InetSocketAddress target,
      int clients,
      long events,
      int windowSize,
      int inFlight,
      String runId,
      Duration ackTimeout,
      int maxReconnects) {
    public Settings {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(ackTimeout, "ackTimeout");
      if (clients < 1) {
        throw new IllegalArgumentException("clients must be at least 1: " + clients);
      }
      if (events < 1 || events > MAX_EVENTS) {
        throw new IllegalArgumentException(
            "events must be between 1 and " + MAX_EVENTS + ": " + events);
      }
      if (windowSize < 1 || windowSize > LumberjackLimits.DEFAULT_MAX_WINDOW_SIZE) {
        throw new IllegalArgumentException(
            "window must be between 1 and "
                + LumberjackLimits.DEFAULT_MAX_WINDOW_SIZE
                + " events (the server's limit): "
                + windowSize);
      }
      if (inFlight < 1) {
        throw new IllegalArgumentException("windows in flight must be at least 1: " + inFlight);
      }
      if (!RUN_ID.matcher(runId).matches()) {
        throw new IllegalArgumentException(
            "run id must be 1 to 64 letters, digits, '.', '_' or '-': " + runId);
      }
      if (ackTimeout.isNegative() || ackTimeout.isZero() || ackTimeout.toMillis() > 3_600_000) {
        throw new IllegalArgumentException(
            "ACK timeout must be between 1 ms and 1 h: " + ackTimeout);
      }
      if (maxReconnects < 0) {
        throw new IllegalArgumentException("reconnects must not be negative: " + maxReconnects);
      }
    }

    /** Filebeat's defaults apart from the target, size and run: 30 s ACK timeout, 5 reconnects. */
    public static Settings of(
        InetSocketAddress target, int clients, long events, int windowSize, String runId) {
      return new Settings(target, clients, events, windowSize, 1, runId, Duration.ofSeconds(30), 5);
    }

    public Settings withInFlight(int windows) {
      return new Settings(
          target, clients, events, windowSize, windows, runId, ackTimeout, maxReconnects);
    }

    public Settings withAckTimeout(Duration timeout) {
      return new Settings(
          target, clients, events, windowSize, inFlight, runId, timeout, maxReconnects);
    }
  }

  /**
   * What a load achieved.
   *
   * @param events events sent, each window counted once however often it was resent
   * @param acked events the server acknowledged
   * @param windows windows acknowledged
   * @param resentWindows windows sent again after a reconnect
   * @param reconnects connections lost or timed out and made again
   * @param seconds from the first send to the last ACK
   * @param compressedBytes bytes of all windows as first sent
   */
  public record Result(
      int clients,
      int windowSize,
      int inFlight,
      long events,
      long acked,
      long windows,
      long resentWindows,
      long reconnects,
      double seconds,
      long compressedBytes) {

    /** Events acknowledged per second. */
    public double eventsPerSecond() {
      return seconds <= 0 ? 0 : acked / seconds;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d of %d events acknowledged in %.2f s (%.0f events/s), %d windows, %d resent,"
              + " %d reconnects, %.1f bytes/event compressed",
          acked,
          events,
          seconds,
          eventsPerSecond(),
          windows,
          resentWindows,
          reconnects,
          events == 0 ? 0.0 : (double) compressedBytes / events);
    }
  }

  private final Settings settings;
  private final List<List<byte[]>> windows;
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong ackedWindows = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong lastAckNanos = new AtomicLong();
  private final long compressedBytes;

  /**
   * Builds and compresses every window now, on as many threads as there are processors, so that
   * {@link #run()} only sends.
   */
  public BeatsLoad(Settings settings) throws InterruptedException {
    this.settings = Objects.requireNonNull(settings, "settings");
    String timestamp = Instant.now().toString();
    int threads = Math.min(settings.clients(), Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads, named("vigil-bench-beats-build"));
    try {
      List<Future<List<byte[]>>> built = new ArrayList<>();
      for (int c = 0; c < settings.clients(); c++) {
        int client = c;
        built.add(pool.submit(() -> windowsOf(settings, client, timestamp)));
      }
      List<List<byte[]>> all = new ArrayList<>();
      for (Future<List<byte[]>> f : built) {
        all.add(f.get());
      }
      this.windows = List.copyOf(all);
    } catch (ExecutionException e) {
      throw new IllegalStateException("building the windows failed: " + e.getCause(), e);
    } finally {
      pool.shutdownNow();
    }
    this.compressedBytes = windows.stream().flatMap(List::stream).mapToLong(w -> w.length).sum();
  }

  /** Events acknowledged so far, for a watch while {@link #run()} is going on. */
  public long acked() {
    return acked.get();
  }

  /** Events this load sends. */
  public long events() {
    return settings.events();
  }

  /**
   * Sends every window from every client and returns once all are acknowledged.
   *
   * @throws IOException when a client could not get its windows acknowledged within its reconnects;
   *     the other clients are stopped
   */
  public Result run() throws IOException, InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(settings.clients(), named("vigil-bench-beats-client"));
    List<Client> clients = new ArrayList<>();
    long start = System.nanoTime();
    lastAckNanos.set(start);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < settings.clients(); c++) {
        Client client = new Client(c, windows.get(c));
        clients.add(client);
        running.add(
            pool.submit(
                () -> {
                  client.run();
                  return null;
                }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          clients.forEach(Client::abort);
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          if (cause instanceof InterruptedException ie) {
            throw ie;
          }
          throw new IllegalStateException("a Beats client failed: " + cause, cause);
        }
      }
    } finally {
      clients.forEach(Client::abort);
      pool.shutdownNow();
    }
    return new Result(
        settings.clients(),
        settings.windowSize(),
        settings.inFlight(),
        settings.events(),
        acked.get(),
        ackedWindows.get(),
        resent.get(),
        reconnects.get(),
        (lastAckNanos.get() - start) / 1e9,
        compressedBytes);
  }

  /** Client {@code client}'s share of the events, as complete wire windows. */
  static List<byte[]> windowsOf(Settings settings, int client, String timestamp) {
    long share = settings.events() / settings.clients();
    long events = share + (client < settings.events() % settings.clients() ? 1 : 0);
    String agent = settings.runId() + "-" + client;
    String head =
        "{\"@timestamp\":\""
            + timestamp
            + "\",\"agent\":{\"id\":\""
            + agent
            + "\",\"type\":\"filebeat\",\"name\":\"bench-host-"
            + client
            + "\"},\"host\":{\"name\":\"bench-host-"
            + client
            + "\"},\"labels\":{\"bench_run\":\""
            + settings.runId()
            + "\"},\"input\":{\"type\":\"filestream\"},"
            + "\"log\":{\"file\":{\"path\":\"/var/log/vigil-bench/app.log\"},\"offset\":";
    List<byte[]> out = new ArrayList<>();
    Deflater deflater = new Deflater(COMPRESSION_LEVEL);
    ByteArrayOutputStream frames = new ByteArrayOutputStream(settings.windowSize() * 400);
    StringBuilder json = new StringBuilder(400);
    byte[] chunk = new byte[64 * 1024];
    long offset = 0;
    try {
      for (long sent = 0; sent < events; sent += settings.windowSize()) {
        int count = (int) Math.min(settings.windowSize(), events - sent);
        frames.reset();
        for (int seq = 1; seq <= count; seq++) {
          json.setLength(0);
          String message =
              "bench line "
                  + (sent + seq)
                  + " from client "
                  + client
                  + ": user=u"
                  + ((sent + seq) % 997)
                  + " action=login result=success";
          json.append(head)
              .append(offset)
              .append("}},\"message\":\"")
              .append(message)
              .append("\"}");
          offset += message.length() + 1;
          byte[] bytes = json.toString().getBytes(UTF_8);
          frames.write('2');
          frames.write('J');
          writeInt(frames, seq);
          writeInt(frames, bytes.length);
          frames.writeBytes(bytes);
        }
        deflater.reset();
        deflater.setInput(frames.toByteArray());
        deflater.finish();
        ByteArrayOutputStream wire = new ByteArrayOutputStream(frames.size() / 4 + 16);
        wire.write('2');
        wire.write('W');
        writeInt(wire, count);
        wire.write('2');
        wire.write('C');
        writeInt(wire, 0);
        while (!deflater.finished()) {
          int n = deflater.deflate(chunk);
          wire.write(chunk, 0, n);
        }
        byte[] window = wire.toByteArray();
        int length = window.length - 12;
        window[8] = (byte) (length >>> 24);
        window[9] = (byte) (length >>> 16);
        window[10] = (byte) (length >>> 8);
        window[11] = (byte) length;
        out.add(window);
      }
    } finally {
      deflater.end();
    }
    return out;
  }

  /** The event count a window announces in its {@code 2W} header. */
  static int countOf(byte[] window) {
    return ((window[2] & 0xFF) << 24)
        | ((window[3] & 0xFF) << 16)
        | ((window[4] & 0xFF) << 8)
        | (window[5] & 0xFF);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** One connection's sender and ACK reader, on one thread. */
  private final class Client {
    private final int id;
    private final List<byte[]> windows;
    private volatile Socket socket;
    private volatile boolean aborted;

    Client(int id, List<byte[]> windows) {
      this.id = id;
      this.windows = windows;
    }

    void run() throws IOException, InterruptedException {
      int next = 0;
      int oldest = 0;
      int lost = 0;
      while (oldest < windows.size()) {
        try {
          if (socket == null) {
            connect();
          }
          OutputStream out = socket.getOutputStream();
          DataInputStream in =
              new DataInputStream(new BufferedInputStream(socket.getInputStream()));
          while (oldest < windows.size()) {
            while (next < windows.size() && next - oldest < settings.inFlight()) {
              out.write(windows.get(next));
              next++;
            }
            out.flush();
            int version = in.readUnsignedByte();
            int type = in.readUnsignedByte();
            long seq = in.readInt() & 0xFFFFFFFFL;
            if (version != '2' || type != 'A') {
              throw new IOException(
                  "client " + id + ": expected an ACK ('2' 'A'), got " + version + " " + type);
            }
            int expected = countOf(windows.get(oldest));
            if (seq == expected) {
              acked.addAndGet(expected);
              ackedWindows.incrementAndGet();
              lastAckNanos.accumulateAndGet(System.nanoTime(), Math::max);
              oldest++;
            } else if (seq > expected) {
              throw new IOException(
                  "client "
                      + id
                      + ": ACK of sequence "
                      + seq
                      + " for a window of "
                      + expected
                      + " events");
            }
            // Lower: a keep-alive while Kafka has the window; reading it restarted the timeout.
          }
        } catch (IOException e) {
          if (aborted) {
            throw new InterruptedIOException("client " + id + " stopped");
          }
          if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            throw e;
          }
          if (++lost > settings.maxReconnects()) {
            throw new IOException(
                "Beats client "
                    + id
                    + " to "
                    + settings.target()
                    + ": windows still unacknowledged after "
                    + settings.maxReconnects()
                    + " reconnects: "
                    + e.getMessage(),
                e);
          }
          closeQuietly();
          reconnects.incrementAndGet();
          resent.addAndGet(next - oldest);
          next = oldest;
          Thread.sleep(RECONNECT_BACKOFF.toMillis());
        }
      }
      closeQuietly();
    }

    private void connect() throws IOException {
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) settings.ackTimeout().toMillis());
        s.connect(settings.target(), (int) Math.min(10_000, settings.ackTimeout().toMillis()));
      } catch (IOException e) {
        s.close();
        throw e;
      }
      socket = s;
      if (aborted) {
        closeQuietly();
        throw new InterruptedIOException("client " + id + " stopped");
      }
    }

    void abort() {
      aborted = true;
      closeQuietly();
    }

    private void closeQuietly() {
      Socket s = socket;
      socket = null;
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // Closing is all that is left to do with it.
        }
      }
    }
  }
}
