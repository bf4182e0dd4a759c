package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's poppler-utils ({@code pdftotext}, {@code pdftoppm}, {@code pdfinfo}, {@code
 * pdfdetach}) on a PDF: a renderer other than the one that wrote it, so the tests see what a
 * reader's viewer sees. A missing tool fails the test (never skips it): .ci/setup installs them.
 */
final class Poppler {

  private Poppler() {}

  /** Runs the command and returns its standard output; fails the test on error or timeout. */
  static String run(String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return fail(
          command[0]
              + " is not installed: run .ci/setup (it installs poppler-utils), "
              + e.getMessage());
    }
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail(command[0] + " did not finish in 60 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      return fail(List.of(command) + " exited with " + process.exitValue() + ": " + text);
    }
    return text;
  }
}
