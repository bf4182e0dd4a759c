package org.vigil.dashboards.reports;

import java.util.List;

/**
 * One table of a report, shown in the PDF and exported as one CSV file.
 *
 * <p>Cells are text as the auditor reads it: numbers in plain digits, times in ISO-8601 UTC,
 * durations in whole seconds unless a column's name says otherwise. The same text goes into the PDF
 * and the CSV, so both show the same figures and the content hash covers what is printed.
 *
 * @param id the CSV file's base name, unique within the report, e.g. {@code coverage-assets}
 * @param title what the table shows, as a heading
 * @param columns the column headings
 * @param rows each as long as {@code columns}
 */
public record ReportTable(String id, String title, List<String> columns, List<List<String>> rows) {

  public ReportTable {
    if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,63}")) {
      throw new IllegalArgumentException("a report table id is lowercase words and dashes: " + id);
    }
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
    for (List<String> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException(
            "table " + id + " has " + columns.size() + " columns but a row of " + row.size());
      }
    }
  }
}
