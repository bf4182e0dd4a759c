package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

class PdfTextTest {

  private final PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  private final PdfText text = new PdfText(font);

  @Test
  void keepsTextTheFontCanShow() {
    assertThat(text.fit("Café ÀÉÎõü – “ok” 12.5% €")).isEqualTo("Café ÀÉÎõü – “ok” 12.5% €");
    assertThat(text.approximated()).isZero();
  }

  @Test
  void keepsTheMarksTheFontHasAndDropsTheRest() {
    assertThat(text.fit("Việt Nam")).isEqualTo("Viêt Nam");
    assertThat(text.fit("Nguyễn Văn Đức")).isEqualTo("Nguyên Van Dúc");
    assertThat(text.fit("Đà Nẵng")).isEqualTo("Dà Nãng");
    assertThat(text.approximated()).isEqualTo(7);
  }

  @Test
  void aTextMeasuredAndThenDrawnIsCountedOnce() {
    text.fit("Việt Nam");
    text.fit("Việt Nam");
    text.fitLines("Việt Nam");
    assertThat(text.approximated()).isEqualTo(1);
  }

  @Test
  void replacesWhatHasNoLatinFormWithAQuestionMark() {
    assertThat(text.fit("日本 😀 ok")).isEqualTo("?? ? ok");
  }

  @Test
  void turnsLineBreaksAndTabsIntoSpacesAndDropsInvisibleCharacters() {
    assertThat(text.fit("a\tb\nc\u200bd\ufeff")).isEqualTo("a b cd");
    assertThat(text.fitLines("one\r\ntwo\nthree")).containsExactly("one", "two", "three");
  }

  @Test
  void nullIsEmpty() {
    assertThat(text.fit(null)).isEmpty();
    assertThat(text.fitLines(null)).containsExactly("");
  }

  @Test
  void everythingItReturnsTheFontCanEncode() {
    StringBuilder all = new StringBuilder();
    for (int cp = 0; cp < 0x3000; cp += 7) {
      all.appendCodePoint(cp);
    }
    all.append("😀𝐀\ud800"); // a lone surrogate too

    String fitted = text.fit(all.toString());

    assertThatCode(() -> font.encode(fitted)).doesNotThrowAnyException();
  }
}
