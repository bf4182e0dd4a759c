package org.vigil.dashboards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (version 0.0.4): {@code name{label="value",...} value
 * [timestamp]} per line, {@code #} lines are comments. Only what the health page needs; malformed
 * lines are skipped and counted rather than failing the whole scrape.
 */
final class PrometheusText {

  /** One sample: a metric name, its labels, and the value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** Samples and how many lines could not be read. */
  record Scrape(List<Sample> samples, int malformedLines) {
    double sum(String name) {
      return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }
  }

  private PrometheusText() {}

  static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    int malformed = 0;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Sample s = sample(line);
      if (s == null) {
        malformed++;
      } else {
        samples.add(s);
      }
    }
    return new Scrape(samples, malformed);
  }

  private static Sample sample(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty()) {
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < n && line.charAt(i) == '{') {
      i++;
      while (true) {
        while (i < n && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
          i++;
        }
        if (i < n && line.charAt(i) == '}') {
          i++;
          break;
        }
        int eq = line.indexOf('=', i);
        if (eq < 0 || eq + 1 >= n || line.charAt(eq + 1) != '"') {
          return null;
        }
        String label = line.substring(i, eq).strip();
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        boolean closed = false;
        while (j < n) {
          char c = line.charAt(j);
          if (c == '\\' && j + 1 < n) {
            char next = line.charAt(j + 1);
            value.append(next == 'n' ? '\n' : next);
            j += 2;
          } else if (c == '"') {
            closed = true;
            j++;
            break;
          } else {
            value.append(c);
            j++;
          }
        }
        if (!closed) {
          return null;
        }
        labels.put(label, value.toString());
        i = j;
      }
    }
    String[] rest = line.substring(i).strip().split("\\s+");
    if (rest.length < 1 || rest[0].isEmpty()) {
      return null;
    }
    try {
      return new Sample(name, labels, value(rest[0]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static double value(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }
}
