package org.vigil.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bundled demo: an auth.log-style sample of one morning on two servers, with normal logins,
 * sudo and cron noise, two SSH brute-force bursts, a password spray and a login that succeeds after
 * failures. Its lines are RFC 3164 without priority; {@code SyslogLineRewriter} gives them the
 * current time when they are replayed.
 */
public final class DemoSample {
  /** The classpath resource. */
  public static final String RESOURCE = "/demo/attack.log";

  /** The two brute-force sources, documentation addresses (RFC 5737). */
  public static final List<String> BRUTE_FORCE_SOURCES = List.of("203.0.113.77", "198.51.100.23");

  /** The source that sprays one password across many users. */
  public static final String SPRAY_SOURCE = "203.0.113.145";

  /** The source that logs in successfully after failing. */
  public static final String SUCCESS_AFTER_FAILURES_SOURCE = "198.51.100.61";

  private DemoSample() {}

  /** Opens the sample for reading. */
  public static BufferedReader open() throws IOException {
    InputStream in = DemoSample.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IOException("the demo sample " + RESOURCE + " is missing from the classpath");
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
