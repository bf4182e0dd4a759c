package org.vigil.dashboards.reports;

import java.awt.Color;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Lays text, boxes and images down A4 pages from top to bottom, starting a new page when the next
 * block does not fit. Each page's content stream is closed as soon as the next page starts, so only
 * the page being drawn is open.
 *
 * <p>Every string passes through {@link PdfText} before it is measured or drawn, which replaces
 * what the fonts ({@link PdfFonts}) cannot print: nothing a Vietnamese text needs with DejaVu,
 * everything outside WinAnsi with the standard fonts.
 */
final class PdfPageFlow implements Closeable {

  static final PDRectangle SIZE = PDRectangle.A4;
  static final float MARGIN = 50;
  static final float TOP = SIZE.getHeight() - 60;
  static final float BOTTOM = 60;

  final PDDocument document;
  final PDFont regular;
  final PDFont bold;
  final PDFont mono;

  /** One per font: DejaVu Sans Mono lacks letters DejaVu Sans has (ở, ế). */
  private final Map<PDFont, PdfText> texts = new IdentityHashMap<>();

  private final String header;
  private PDPage page;
  private PDPageContentStream stream;
  private float y;

  /**
   * @param header printed at the top of every page, e.g. the report's title
   */
  PdfPageFlow(PDDocument document, String header) throws IOException {
    this.document = document;
    this.header = header;
    PdfFonts fonts = PdfFonts.load(document);
    this.regular = fonts.regular();
    this.bold = fonts.bold();
    this.mono = fonts.mono();
  }

  /** How many characters were printed in a closest form because a font lacked them. */
  long approximated() {
    return texts.values().stream().mapToLong(PdfText::approximated).sum();
  }

  private PdfText fitter(PDFont font) {
    return texts.computeIfAbsent(font, PdfText::new);
  }

  /** The width between the margins. */
  static float width() {
    return SIZE.getWidth() - 2 * MARGIN;
  }

  /** The top of the space left on this page: the next block is drawn down from here. */
  float y() {
    return y;
  }

  PDPage page() {
    return page;
  }

  /** Ends the current page (if any) and starts a new one below its header. */
  void newPage() throws IOException {
    closeStream();
    page = new PDPage(SIZE);
    document.addPage(page);
    stream = new PDPageContentStream(document, page);
    y = TOP;
    String title = ellipsize(regular, 8, header, width());
    stream.setNonStrokingColor(Color.GRAY);
    text(regular, 8, MARGIN, SIZE.getHeight() - 35, title);
    stream.setNonStrokingColor(Color.BLACK);
  }

  /** Makes room for a block {@code height} high: a new page when this one has too little left. */
  void ensure(float height) throws IOException {
    if (page == null || y - height < BOTTOM) {
      newPage();
    }
  }

  /** Moves the cursor {@code height} down. */
  void down(float height) {
    y -= height;
  }

  /** Whether a block {@code height} high still fits on this page. */
  boolean fits(float height) {
    return page != null && y - height >= BOTTOM;
  }

  /**
   * Prints {@code s} as wrapped lines {@code indent} in from the margin, flowing onto new pages;
   * {@code \n} starts a new line.
   */
  void paragraph(PDFont font, float size, String s, float indent) throws IOException {
    float leading = leading(size);
    for (String line : wrap(font, size, s, width() - indent)) {
      ensure(leading);
      text(font, size, MARGIN + indent, y - size, line);
      down(leading);
    }
  }

  /** Draws one line with its baseline at {@code baseline}; the line is made encodable first. */
  void text(PDFont font, float size, float x, float baseline, String s) throws IOException {
    String fitted = fitter(font).fit(s);
    if (fitted.isEmpty()) {
      return;
    }
    stream.beginText();
    stream.setFont(font, size);
    stream.newLineAtOffset(x, baseline);
    stream.showText(fitted);
    stream.endText();
  }

  /** A filled rectangle, lower left corner at (x, y). */
  void fill(float x, float y, float w, float h, Color color) throws IOException {
    stream.setNonStrokingColor(color);
    stream.addRect(x, y, w, h);
    stream.fill();
    stream.setNonStrokingColor(Color.BLACK);
  }

  /** A thin horizontal rule from the left margin, {@code w} long, at {@code y}. */
  void rule(float y, float w, Color color) throws IOException {
    stream.setStrokingColor(color);
    stream.setLineWidth(0.5f);
    stream.moveTo(MARGIN, y);
    stream.lineTo(MARGIN + w, y);
    stream.stroke();
    stream.setStrokingColor(Color.BLACK);
  }

  void image(PDImageXObject image, float x, float y, float w, float h) throws IOException {
    stream.drawImage(image, x, y, w, h);
  }

  static float leading(float size) {
    return size * 1.3f;
  }

  /** The width of {@code s} once made encodable, in points. */
  float widthOf(PDFont font, float size, String s) throws IOException {
    return font.getStringWidth(fitter(font).fit(s)) / 1000 * size;
  }

  /**
   * {@code s} broken into lines no wider than {@code width}: at spaces where it can, inside a word
   * that is wider than a line on its own. Always at least one line.
   */
  List<String> wrap(PDFont font, float size, String s, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String paragraph : fitter(font).fitLines(s)) {
      StringBuilder line = new StringBuilder();
      boolean empty = true; // not the same as line.length() == 0: keeps leading spaces (YAML)
      for (String word : paragraph.split(" ", -1)) {
        String candidate = empty ? word : line + " " + word;
        if (widthOf(font, size, candidate) <= width) {
          line.setLength(0);
          line.append(candidate);
          empty = false;
          continue;
        }
        if (!empty) {
          lines.add(line.toString());
          line.setLength(0);
        }
        empty = false;
        // A word longer than the line (a hash, a URL) is cut where the line ends.
        String rest = word;
        while (widthOf(font, size, rest) > width && rest.length() > 1) {
          int cut = fitting(font, size, rest, width);
          lines.add(rest.substring(0, cut));
          rest = rest.substring(cut);
        }
        line.append(rest);
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** {@code s} on one line no wider than {@code width}: cut with an ellipsis when it is longer. */
  String ellipsize(PDFont font, float size, String s, float width) throws IOException {
    String fitted = fitter(font).fit(s);
    if (widthOf(font, size, fitted) <= width) {
      return fitted;
    }
    String ellipsis = "\u2026";
    int cut = fitting(font, size, fitted, width - widthOf(font, size, ellipsis));
    return fitted.substring(0, cut).stripTrailing() + ellipsis;
  }

  /** How many leading chars of {@code s} fit in {@code width}; at least 1 so cutting progresses. */
  private int fitting(PDFont font, float size, String s, float width) throws IOException {
    int lo = 1;
    int hi = s.length();
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (widthOf(font, size, s.substring(0, mid)) <= width) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    if (lo < s.length() && Character.isLowSurrogate(s.charAt(lo))) {
      lo--;
    }
    return Math.max(1, lo);
  }

  private void closeStream() throws IOException {
    if (stream != null) {
      stream.close();
      stream = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeStream();
  }
}
