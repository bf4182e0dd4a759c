package org.vigil.correlation.enrich;

/**
 * Reads a plain indicator list, the format most free feeds publish (abuse.ch, Spamhaus DROP,
 * FireHOL): one indicator per line, its type detected from its shape, {@code #} and {@code ;} start
 * a comment (DROP lists use {@code ;} after the network).
 */
public final class IndicatorListReader {
  private IndicatorListReader() {}

  /** Never fails: a line that is no indicator is skipped and counted. */
  public static IndicatorFeed read(String provider, String text) {
    IndicatorFeed.Builder feed = IndicatorFeed.builder(provider);
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int comment = firstOf(line, '#', ';');
      String value = (comment >= 0 ? line.substring(0, comment) : line).strip();
      if (value.isEmpty()) {
        continue;
      }
      IndicatorType type = IndicatorType.detect(value);
      if (type == null) {
        feed.skip("line " + (i + 1) + ": '" + value + "' is no IP address, domain, URL or hash");
        continue;
      }
      try {
        feed.add(type, value, Long.MAX_VALUE);
      } catch (IllegalArgumentException e) {
        feed.skip("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return feed.build();
  }

  private static int firstOf(String line, char a, char b) {
    int i = line.indexOf(a);
    int j = line.indexOf(b);
    if (i < 0) {
      return j;
    }
    return j < 0 ? i : Math.min(i, j);
  }
}
