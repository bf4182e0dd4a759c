package org.vigil.dashboards.reports;

import java.util.List;

/**
 * A bar chart of a section: one bar per label.
 *
 * @param title what the bars count
 * @param labels one per bar, in display order
 * @param values one per label
 * @param unit what a value counts, e.g. {@code alerts}, {@code events}, {@code hours}
 */
public record ReportChart(String title, List<String> labels, List<Double> values, String unit) {

  public ReportChart {
    labels = List.copyOf(labels);
    values = List.copyOf(values);
    if (labels.size() != values.size()) {
      throw new IllegalArgumentException(
          "chart '"
              + title
              + "' has "
              + labels.size()
              + " labels and "
              + values.size()
              + " values");
    }
  }
}
