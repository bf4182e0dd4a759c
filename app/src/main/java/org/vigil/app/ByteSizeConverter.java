package org.vigil.app;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A size in bytes as people write it on a command line: {@code 8388608}, {@code 512k}, {@code 8m},
 * {@code 1g} (powers of 1024, either case), at most {@link Integer#MAX_VALUE} bytes.
 */
final class ByteSizeConverter implements ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (!text.isEmpty()) {
      switch (text.charAt(text.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        default -> unit = 1;
      }
    }
    String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
    long bytes;
    try {
      bytes = Long.parseLong(digits) * unit;
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a size: write bytes, or a number with k, m or g (e.g. 8m)");
    }
    if (bytes < 1 || bytes > Integer.MAX_VALUE) {
      throw new TypeConversionException(
          "'" + value + "' is out of range: between 1 byte and 2 GiB less a byte");
    }
    return (int) bytes;
  }
}
