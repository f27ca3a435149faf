package io.calibra.cli;

import io.calibra.io.ScoreFileReader;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The checked numeric options, in one place: each converter refuses a value the command cannot use,
 * so picocli reports it as a usage error (exit 2, one line) before anything runs. Default values
 * pass through the same checks.
 */
final class OptionValues {
  /** The largest {@code --bins}: more bins than this only costs memory. */
  static final int MAX_BINS = 10_000;

  private OptionValues() {}

  private static double decimal(String text) {
    String s = text.trim();
    if (!ScoreFileReader.isDecimal(s)) {
      throw new TypeConversionException("'" + text + "' is not a decimal number");
    }
    return Double.parseDouble(s);
  }

  private static int whole(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number");
    }
  }

  /** {@code --lambda}: a finite L2 strength, 0 or more. */
  static final class Lambda implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      double v = decimal(text);
      if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
        throw new TypeConversionException(text + " is not a finite value >= 0");
      }
      return v;
    }
  }

  /** {@code --scale}: a finite, positive, normal (not subnormal) divisor. */
  static final class Scale implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      double v = decimal(text);
      if (!(v >= Double.MIN_NORMAL && v < Double.POSITIVE_INFINITY)) {
        throw new TypeConversionException(
            text + " is not a finite value > 0 (at least " + Double.MIN_NORMAL + ")");
      }
      return v;
    }
  }

  /** {@code score --timeout}: seconds, at least 0.001 and at most a day. */
  static final class Seconds implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      double v = decimal(text);
      if (!(v >= 0.001 && v <= 86_400)) {
        throw new TypeConversionException(
            text + " is not a number of seconds from 0.001 to 86400 (a day)");
      }
      return v;
    }
  }

  /** {@code --batch-size}: at least 1. */
  static final class BatchSize implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = whole(text);
      if (v < 1) {
        throw new TypeConversionException(v + " is below 1; expected at least 1");
      }
      return v;
    }
  }

  /** {@code --threads}: 0 (every core) or more. */
  static final class Threads implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = whole(text);
      if (v < 0) {
        throw new TypeConversionException(v + " is negative; expected 0 (every core) or more");
      }
      return v;
    }
  }

  /** {@code --bins}: 1 to {@value #MAX_BINS}. */
  static final class Bins implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = whole(text);
      if (v < 1 || v > MAX_BINS) {
        throw new TypeConversionException(v + " is not between 1 and " + MAX_BINS);
      }
      return v;
    }
  }

  /** {@code --folds}: at least 2. */
  static final class Folds implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = whole(text);
      if (v < 2) {
        throw new TypeConversionException(v + " is below 2; cross-validation needs at least 2");
      }
      return v;
    }
  }

  /** {@code --max-iterations}: at least 1. */
  static final class Iterations implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = whole(text);
      if (v < 1) {
        throw new TypeConversionException(v + " is below 1");
      }
      return v;
    }
  }

  /** {@code fit --time-limit}: seconds, finite and above 0. */
  static final class TimeLimit implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      double v = decimal(text);
      if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
        throw new TypeConversionException(text + " is not a finite number of seconds > 0");
      }
      return v;
    }
  }

  /** A number as typed by a person: 30 for 30.0, else the shortest decimal. */
  static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
