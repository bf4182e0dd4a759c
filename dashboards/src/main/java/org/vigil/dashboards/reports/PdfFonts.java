package org.vigil.dashboards.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The fonts of one report PDF. DejaVu Sans (Debian's {@code fonts-dejavu-core}, which {@code
 * .ci/setup} and the image install) is embedded as a subset when the machine has it, so agency
 * names, users and titles print in Vietnamese as they are written; without it the standard
 * Helvetica, which needs no file but encodes only WinAnsi, and {@link PdfText} approximates what it
 * lacks.
 *
 * @param unicode true when the DejaVu fonts are embedded
 */
record PdfFonts(PDFont regular, PDFont bold, PDFont mono, boolean unicode) {

  /** Where Debian (and Ubuntu, under the image's JDK) keeps DejaVu. */
  static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu");

  private static final String[] FILES = {
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"
  };

  /** The DejaVu fonts for {@code document} if all three files are there, else the standard ones. */
  static PdfFonts load(PDDocument document) throws IOException {
    for (String file : FILES) {
      if (!Files.isReadable(DEJAVU.resolve(file))) {
        return standard();
      }
    }
    return new PdfFonts(
        embed(document, FILES[0]), embed(document, FILES[1]), embed(document, FILES[2]), true);
  }

  /**
   * Embeds a subset of the font, without glyph substitution: PDFBox would otherwise set "fi" as the
   * ligature ﬁ, which a reader's search and copy then see as one odd character ("deﬁnition").
   */
  private static PDFont embed(PDDocument document, String file) throws IOException {
    TrueTypeFont font =
        new TTFParser().parse(new RandomAccessReadBufferedFile(DEJAVU.resolve(file).toFile()));
    document.registerTrueTypeFontForClosing(font); // the subset is made when the document saves
    font.setEnableGsub(false);
    return PDType0Font.load(document, font, true);
  }

  static PdfFonts standard() {
    return new PdfFonts(
        new PDType1Font(Standard14Fonts.FontName.HELVETICA),
        new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD),
        new PDType1Font(Standard14Fonts.FontName.COURIER),
        false);
  }
}
