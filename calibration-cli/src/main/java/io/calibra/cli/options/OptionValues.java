package io.calibra.cli.options;

import io.calibra.calibrate.ContextualCalibration;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The checked option values, in one place: each converter refuses a value the command cannot use,
 * so picocli reports it as a usage error (exit 2, one line) before anything runs. Default values
 * pass through the same checks. A message that starts with "expected" is shown as {@code --option
 * is VALUE; expected ...} (see {@link #EXPECTED}); others name the value themselves.
 */
public final class OptionValues {
  /** The largest {@code --bins}: more bins than this only costs memory. */
  public static final int MAX_BINS = 10_000;

  /** The start of a converter message that the error line prefixes with the option and value. */
  public static final String EXPECTED = "expected ";

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
  public static final class Lambda implements ITypeConverter<Double> {
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
  public static final class Scale implements ITypeConverter<Double> {
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
  public static final class Seconds implements ITypeConverter<Double> {
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
  public static final class BatchSize implements ITypeConverter<Integer> {
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
  public static final class Threads implements ITypeConverter<Integer> {
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
  public static final class Bins implements ITypeConverter<Integer> {
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
  public static final class Folds implements ITypeConverter<Integer> {
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
  public static final class Iterations implements ITypeConverter<Integer> {
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
  public static final class TimeLimit implements ITypeConverter<Double> {
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
  public static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** {@code --scores}: prob, logprob or logit (any case). */
  public static final class Format implements ITypeConverter<ScoreFormat> {
    @Override
    public ScoreFormat convert(String text) {
      try {
        return ScoreFormat.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The names of {@link ScoreFormat}s as typed: prob, logprob, logit. */
  public static final class FormatNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(ScoreFormat.values())
          .map(f -> f.name().toLowerCase(java.util.Locale.ROOT))
          .iterator();
    }
  }

  /** {@code --pcf}: raw-mass or normalised. */
  public static final class Pcf implements ITypeConverter<ContextualCalibration.Rule> {
    @Override
    public ContextualCalibration.Rule convert(String text) {
      try {
        return ContextualCalibration.Rule.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The ids of the p_cf rules: raw-mass, normalised. */
  public static final class PcfNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(ContextualCalibration.Rule.values())
          .map(ContextualCalibration.Rule::id)
          .iterator();
    }
  }

  /** {@code --alpha} and {@code --confidence}: a level strictly between 0 and 1. */
  public static final class Level implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      double v = decimal(text);
      if (!(v > 0 && v < 1)) {
        throw new TypeConversionException(EXPECTED + "a value in (0, 1)");
      }
      return v;
    }
  }

  /** A count of at least 1 ({@code --bootstrap}, {@code --max-in-flight}, ...). */
  public static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = whole(text);
      if (v < 1) {
        throw new TypeConversionException(EXPECTED + "at least 1");
      }
      return v;
    }
  }

  /** A count of 0 or more ({@code --max-retries}). */
  public static final class NonNegative implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = whole(text);
      if (v < 0) {
        throw new TypeConversionException(EXPECTED + "0 or more");
      }
      return v;
    }
  }

  /** {@code --max-response-mib}: 1 to 2^20 MiB. */
  public static final class Mebibytes implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = whole(text);
      if (v < 1 || v > 1 << 20) {
        throw new TypeConversionException(EXPECTED + "1 to " + (1 << 20));
      }
      return v;
    }
  }

  /** {@code --prompts}: at least 2, so that a spread exists. */
  public static final class AtLeastTwo implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = whole(text);
      if (v < 2) {
        throw new TypeConversionException(EXPECTED + "at least 2");
      }
      return v;
    }
  }
}
