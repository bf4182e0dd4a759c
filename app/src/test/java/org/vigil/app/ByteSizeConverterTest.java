package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ByteSizeConverterTest {
  private final ByteSizeConverter converter = new ByteSizeConverter();

  @Test
  void readsBytesAndBinaryUnitsInEitherCase() {
    assertThat(converter.convert("8388608")).isEqualTo(8_388_608);
    assertThat(converter.convert("512k")).isEqualTo(524_288);
    assertThat(converter.convert("8M")).isEqualTo(8_388_608);
    assertThat(converter.convert("1g")).isEqualTo(1_073_741_824);
  }

  @Test
  void refusesWhatIsNotASizeWithAnExample() {
    assertThatThrownBy(() -> converter.convert("8mb"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("e.g. 8m");
    assertThatThrownBy(() -> converter.convert("")).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void refusesZeroNegativeAndMoreThanAnIntHolds() {
    assertThatThrownBy(() -> converter.convert("0")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> converter.convert("-1k")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> converter.convert("2g")).hasMessageContaining("out of range");
  }
}
