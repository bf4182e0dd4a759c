package org.vigil.dashboards.reports;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws a {@link ReportChart} as a bar chart image with JFreeChart, for the PDF.
 *
 * <p>The image is drawn at {@link #SCALE} times the size it is shown at, so bars and labels stay
 * sharp when printed. AWT draws the labels, with the machine's fonts, so they keep characters the
 * PDF's own fonts cannot show.
 */
final class ReportChartImage {

  /** Pixels per PDF point: about 144 dpi, sharp on paper and still small. */
  static final int SCALE = 2;

  private static final Color BAR = new Color(0x2f, 0x5d, 0x8a);

  static {
    // A server has no display; without this the first chart would look for one and fail.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private ReportChartImage() {}

  /** Upright bars up to this many; past it, bars lie down so every label stays readable. */
  static final int MAX_UPRIGHT = 12;

  /** Bars drawn at most: more would not fit one page. The report's JSON keeps them all. */
  static final int MAX_BARS = 50;

  private static final float HEIGHT = 230;
  private static final float HEIGHT_PER_LYING_BAR = 11;

  /** How tall the chart is drawn, in points: lying bars each need a line of their own. */
  static float height(ReportChart chart) {
    int bars = Math.min(chart.labels().size(), MAX_BARS);
    return bars > MAX_UPRIGHT ? Math.max(HEIGHT, 60 + HEIGHT_PER_LYING_BAR * bars) : HEIGHT;
  }

  /** The chart drawn to fill {@code width} x {@link #height} points, at {@link #SCALE}. */
  static BufferedImage render(ReportChart chart, float width) {
    float height = height(chart);
    int bars = Math.min(chart.labels().size(), MAX_BARS);
    String title = chart.title();
    if (bars < chart.labels().size()) {
      title =
          (title == null ? "" : title + " ")
              + "(first "
              + bars
              + " of "
              + chart.labels().size()
              + " bars)";
    }
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (int i = 0; i < bars; i++) {
      Double value = chart.values().get(i);
      boolean drawable = value != null && !value.isNaN() && !value.isInfinite();
      data.addValue(drawable ? value : null, "values", new Bar(i, chart.labels().get(i)));
    }
    JFreeChart jfree =
        ChartFactory.createBarChart(
            title,
            null,
            chart.unit(),
            data,
            bars > MAX_UPRIGHT ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL,
            false,
            false,
            false);
    jfree.setBackgroundPaint(Color.WHITE);
    if (jfree.getTitle() != null) {
      jfree.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
    }
    CategoryPlot plot = jfree.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setOutlineVisible(false);
    plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT); // values below lying bars too
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, BAR);
    renderer.setMaximumBarWidth(0.08);
    CategoryAxis axis = plot.getDomainAxis();
    axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 8));
    axis.setMaximumCategoryLabelLines(2);
    if (bars > 6 && bars <= MAX_UPRIGHT) {
      // Upright labels of many bars overlap into one grey smear.
      axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    plot.getRangeAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 8));
    plot.getRangeAxis().setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));

    BufferedImage image =
        new BufferedImage(
            Math.round(width * SCALE), Math.round(height * SCALE), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.scale(SCALE, SCALE);
      jfree.draw(g, new Rectangle2D.Double(0, 0, width, height));
    } finally {
      g.dispose();
    }
    return image;
  }

  /**
   * A bar's category: the position keeps two bars with the same label apart (a dataset keyed by
   * label alone would merge them), the axis prints the label.
   */
  private record Bar(int index, String label) implements Comparable<Bar> {
    @Override
    public int compareTo(Bar other) {
      return Integer.compare(index, other.index);
    }

    @Override
    public String toString() {
      return label == null ? "" : label;
    }
  }
}
