package org.vigil.bench.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.HdrHistogram.Recorder;

/**
 * Drives the dashboard's REST API as analysts' browsers would: each named query is sent {@code
 * requests} times by {@code concurrency} clients at once, after a warm-up, and timed from sending
 * the request to reading the whole body.
 */
public final class ApiLoad {

  /**
   * One kind of request.
   *
   * @param name what the report calls it
   * @param caller the user it runs as (agency-scoped users see less, and cost a filter)
   * @param path the path and query of request {@code i}; varying it keeps caches honest
   */
  public record Query(String name, Credentials caller, IntFunction<String> path) {}

  /** A dashboard user's Basic credentials. */
  public record Credentials(String username, String password) {
    String header() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Credentials[" + username + "]";
    }
  }

  private final URI base;
  private final int concurrency;
  private final int warmup;
  private final int requests;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public ApiLoad(URI base, int concurrency, int warmup, int requests) {
    if (concurrency < 1 || requests < 1 || warmup < 0) {
      throw new IllegalArgumentException(
          "concurrency and requests must be at least 1, warm-up at least 0");
    }
    this.base = base;
    this.concurrency = concurrency;
    this.warmup = warmup;
    this.requests = requests;
  }

  /** Runs every query in turn; a failed request (not 2xx) is counted, not timed. */
  public List<DashboardBenchReport.Timing> run(List<Query> queries) throws Exception {
    List<DashboardBenchReport.Timing> timings = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(concurrency);
    try {
      // Every query warms up before any is timed: the first one timed would otherwise pay for
      // the server's cold caches and JIT on behalf of all.
      for (Query query : queries) {
        send(clients, query, warmup, null, new AtomicLong(), new AtomicReference<>());
      }
      for (Query query : queries) {
        Recorder recorder = new Recorder(3);
        AtomicLong failures = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        send(clients, query, requests, recorder, failures, firstFailure);
        timings.add(
            new DashboardBenchReport.Timing(
                query.name(),
                requests,
                failures.get(),
                firstFailure.get(),
                recorder.getIntervalHistogram()));
      }
    } finally {
      clients.shutdownNow();
    }
    return timings;
  }

  private void send(
      ExecutorService clients,
      Query query,
      int count,
      Recorder recorder,
      AtomicLong failures,
      AtomicReference<String> firstFailure)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      workers.add(
          clients.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  long started = System.nanoTime();
                  String failure = get(query, i);
                  long micros = (System.nanoTime() - started) / 1_000;
                  if (failure != null) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, failure);
                  } else if (recorder != null) {
                    recorder.recordValue(micros);
                  }
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
  }

  /** Null when the request succeeded, else what went wrong. */
  private String get(Query query, int i) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(query.path().apply(i)))
            .header("Authorization", query.caller().header())
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        return null;
      }
      String body = response.body();
      return request.uri().getPath()
          + " answered "
          + response.statusCode()
          + ": "
          + (body.length() > 200 ? body.substring(0, 200) : body);
    } catch (IOException e) {
      return request.uri().getPath() + ": " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
