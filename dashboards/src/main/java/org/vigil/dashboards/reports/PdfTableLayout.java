package org.vigil.dashboards.reports;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * Prints a {@link ReportTable} across as many pages as it needs: columns sized to their content,
 * long cells wrapped (and cut with an ellipsis past a few lines), and the header row repeated at
 * the top of every page the table continues on.
 *
 * <p>Only the first {@code maxRows} rows are printed, with a note saying so: a PDF of ten thousand
 * rows helps no reader, and the CSV export carries every row.
 */
final class PdfTableLayout {

  private static final float PAD = 3;
  private static final int MAX_CELL_LINES = 4;
  private static final int MAX_HEADER_LINES = 3;
  private static final Color HEADER_FILL = new Color(0xdd, 0xe3, 0xea);
  private static final Color STRIPE_FILL = new Color(0xf4, 0xf6, 0xf8);
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?%?");

  private final PdfPageFlow flow;
  private final ReportTable table;
  private final List<List<String>> rows;
  private final float size;
  private final float leading;
  private float[] widths;
  private boolean[] numeric;

  PdfTableLayout(PdfPageFlow flow, ReportTable table, int maxRows) {
    this.flow = flow;
    this.table = table;
    this.rows = table.rows().subList(0, Math.min(maxRows, table.rows().size()));
    // Wide tables get a smaller type so more of each cell stays readable without wrapping.
    this.size = table.columns().size() > 6 ? 7 : 8;
    this.leading = PdfPageFlow.leading(size);
  }

  /** Prints the title, the notes on what is left out, and the rows. */
  void draw() throws IOException {
    flow.ensure(100); // the title, the header and a first row stay together
    flow.down(6);
    flow.paragraph(flow.bold, 11, table.title(), 0);
    if (rows.size() < table.rows().size()) {
      flow.paragraph(
          flow.regular,
          8,
          "first "
              + ReportText.count(rows.size())
              + " of "
              + ReportText.count(table.rows().size())
              + " rows; the CSV has all ("
              + table.id()
              + ".csv)",
          0);
    }
    if (table.columns().isEmpty()) {
      return;
    }
    widths = columnWidths();
    numeric = numericColumns();
    flow.down(2);
    header(false);
    if (rows.isEmpty()) {
      flow.paragraph(flow.regular, size, "No rows.", PAD);
    }
    for (int r = 0; r < rows.size(); r++) {
      List<List<String>> cells = cells(rows.get(r), flow.regular, MAX_CELL_LINES);
      float height = height(cells);
      if (!flow.fits(height)) {
        flow.newPage();
        header(true);
      }
      if (r % 2 == 1) {
        flow.fill(PdfPageFlow.MARGIN, flow.y() - height, total(), height, STRIPE_FILL);
      }
      drawRow(cells, flow.regular);
      flow.down(height);
    }
    flow.down(8);
  }

  private void header(boolean continued) throws IOException {
    if (continued) {
      flow.paragraph(flow.regular, 8, table.title() + " (continued)", 0);
    }
    List<List<String>> cells = cells(table.columns(), flow.bold, MAX_HEADER_LINES);
    float height = height(cells);
    if (!flow.fits(height + leading + 2 * PAD)) {
      // A header alone at the foot of a page, its rows on the next, reads as an empty table.
      flow.newPage();
    }
    flow.fill(PdfPageFlow.MARGIN, flow.y() - height, total(), height, HEADER_FILL);
    drawRow(cells, flow.bold);
    flow.down(height);
  }

  private void drawRow(List<List<String>> cells, PDFont font) throws IOException {
    float x = PdfPageFlow.MARGIN;
    for (int c = 0; c < widths.length; c++) {
      float baseline = flow.y() - PAD - size;
      for (String line : cells.get(c)) {
        float indent = numeric[c] ? widths[c] - PAD - flow.widthOf(font, size, line) : PAD;
        flow.text(font, size, x + indent, baseline, line);
        baseline -= leading;
      }
      x += widths[c];
    }
  }

  /** Columns of counts and shares, set flush right so their digits line up. */
  private boolean[] numericColumns() {
    boolean[] result = new boolean[widths.length];
    for (int c = 0; c < result.length; c++) {
      boolean any = false;
      boolean all = true;
      for (List<String> row : rows) {
        String cell = row.get(c);
        if (cell == null || cell.isEmpty() || cell.equals("n/a")) {
          continue;
        }
        any = true;
        if (!NUMBER.matcher(cell).matches()) {
          all = false;
          break;
        }
      }
      result[c] = any && all;
    }
    return result;
  }

  /** Each cell as the lines it prints: wrapped to its column, the last cut with an ellipsis. */
  private List<List<String>> cells(List<String> row, PDFont font, int maxLines) throws IOException {
    List<List<String>> cells = new ArrayList<>(row.size());
    for (int c = 0; c < widths.length; c++) {
      float inner = widths[c] - 2 * PAD;
      List<String> lines = flow.wrap(font, size, row.get(c), inner);
      if (lines.size() > maxLines) {
        List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
        String rest = String.join(" ", lines.subList(maxLines - 1, lines.size()));
        kept.set(maxLines - 1, flow.ellipsize(font, size, rest + " \u2026", inner));
        lines = kept;
      }
      cells.add(lines);
    }
    return cells;
  }

  private float height(List<List<String>> cells) {
    int lines = cells.stream().mapToInt(List::size).max().orElse(1);
    return lines * leading + 2 * PAD - (leading - size);
  }

  private float total() {
    float sum = 0;
    for (float w : widths) {
      sum += w;
    }
    return sum;
  }

  /**
   * Fits the columns into the page width. Each column wants its widest cell; when they do not all
   * fit, narrow columns keep their width and the wide ones share what is left equally (so one long
   * text column cannot squeeze the counts next to it into wrapping). Columns are then widened in
   * proportion to fill the width.
   */
  private float[] columnWidths() throws IOException {
    int n = table.columns().size();
    float available = PdfPageFlow.width();
    float minimum = Math.min(available / n, 36);
    float[] wanted = new float[n];
    for (int c = 0; c < n; c++) {
      // The header on one line where there is room; it wraps at its spaces when there is not.
      float want = flow.widthOf(flow.bold, size, table.columns().get(c));
      for (List<String> row : rows) {
        want = Math.max(want, flow.widthOf(flow.regular, size, row.get(c)));
        if (want >= available) {
          break;
        }
      }
      wanted[c] = Math.max(minimum, Math.min(available, want + 2 * PAD + 1));
    }
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble(c -> wanted[c]));
    float[] result = new float[n];
    float left = available;
    for (int k = 0; k < n; k++) {
      int c = order[k];
      result[c] = Math.min(wanted[c], left / (n - k));
      left -= result[c];
    }
    // Room to spare goes to every column in proportion, so all tables span the page alike.
    float scale = available / (available - left);
    for (int c = 0; c < n; c++) {
      result[c] *= scale;
    }
    return result;
  }
}
