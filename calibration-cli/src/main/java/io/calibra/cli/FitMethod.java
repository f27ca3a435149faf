package io.calibra.cli;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.cli.options.Methods;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code calibra fit --method} names: {@code auto}, one stage method, or a comma-separated
 * pipeline of stage methods fitted in order.
 *
 * @param text the value as given, for messages and provenance
 * @param stages the stage methods in order (empty for auto)
 */
record FitMethod(String text, List<CalibrationMethod> stages) {
  /** Whether this is {@code auto}: every method that applies, ranked by cross-validation. */
  boolean isAuto() {
    return stages.isEmpty();
  }

  /** Whether this is a list of stages (a pipeline), even of one stage. */
  boolean isPipeline() {
    return text.contains(",");
  }

  /** The one method of a single-method fit. */
  CalibrationMethod single() {
    return stages.get(0);
  }

  /** Whether exactly {@code m} was named, alone. */
  boolean is(CalibrationMethod m) {
    return !isPipeline() && stages.equals(List.of(m));
  }

  @Override
  public String toString() {
    return text;
  }

  /** The names {@code --method} accepts: the registry's stage methods, then {@code auto}. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      new Methods.StageNames().forEach(names::add);
      names.add("auto");
      return names.iterator();
    }
  }

  /** Parses {@code auto}, a stage method or a comma-separated list of stage methods. */
  static final class Converter implements ITypeConverter<FitMethod> {
    @Override
    public FitMethod convert(String text) {
      if (text.equals("auto")) {
        return new FitMethod(text, List.of());
      }
      if (!text.contains(",")) {
        return new FitMethod(
            text,
            List.of(
                CalibrationMethod.find(text)
                    .filter(CalibrationMethod::isStage)
                    .orElseThrow(
                        () ->
                            new TypeConversionException(
                                "--method "
                                    + text
                                    + " is unknown; expected one of "
                                    + String.join(", ", new Names())))));
      }
      List<CalibrationMethod> methods = new ArrayList<>();
      for (String part : text.split(",", -1)) {
        String name = part.strip();
        methods.add(stage(text, name, methods));
      }
      return new FitMethod(text, List.copyOf(methods));
    }

    private static CalibrationMethod stage(
        String list, String name, List<CalibrationMethod> before) {
      String problem;
      if (name.isEmpty()) {
        problem =
            "has an empty method name; expected names separated by single commas, such as"
                + " contextual,temperature";
      } else if (name.equals("auto")) {
        problem =
            ": auto cannot be a pipeline stage (it picks one method by cross-validation); give"
                + " auto alone or list the stages";
      } else {
        CalibrationMethod m =
            CalibrationMethod.find(name).filter(CalibrationMethod::isStage).orElse(null);
        if (m != null && !before.contains(m)) {
          return m;
        }
        problem =
            m == null
                ? ": '"
                    + name
                    + "' is unknown; expected one of "
                    + CalibrationMethod.names(CalibrationMethod.stageMethods())
                : ": " + name + " is given twice; each method is one stage";
      }
      throw new TypeConversionException(
          "--method " + list + (problem.startsWith(":") ? "" : " ") + problem);
    }
  }
}
