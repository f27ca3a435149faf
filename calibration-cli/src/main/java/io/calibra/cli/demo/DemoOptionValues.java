package io.calibra.cli.demo;

import picocli.CommandLine;

/** Converters of the demo's numeric options, each refusing what the demo cannot run with. */
final class DemoOptionValues {
  private DemoOptionValues() {}

  /** {@code --shots}: at least one example per label. */
  static final class Shots implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int shots = integer(value);
      if (shots < 1) {
        throw new CommandLine.TypeConversionException(shots + "; expected at least 1");
      }
      return shots;
    }
  }

  /** {@code --agnews-rows}: 0 for all rows, else at least 4 (two dev and two test rows). */
  static final class AgNewsRows implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int rows = integer(value);
      if (rows < 0 || (rows > 0 && rows < 4)) {
        throw new CommandLine.TypeConversionException(rows + "; expected 0 (all) or at least 4");
      }
      return rows;
    }
  }

  private static int integer(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not an integer");
    }
  }
}
