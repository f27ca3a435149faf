package io.calibra.cli.options;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.MethodFit;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --method <method>}: a calibration method of the registry, by its name. */
public final class Methods {
  private Methods() {}

  /** A stage method by name ({@link CalibrationMethod#stageMethods()}). */
  public static final class Stage implements ITypeConverter<CalibrationMethod> {
    @Override
    public CalibrationMethod convert(String name) {
      return CalibrationMethod.find(name)
          .filter(CalibrationMethod::isStage)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "--method "
                          + name
                          + " is unknown; expected one of "
                          + CalibrationMethod.names(CalibrationMethod.stageMethods())));
    }
  }

  /** A method fitted on labelled rows, by name. */
  public static final class Labelled implements ITypeConverter<MethodFit.LabelledRows> {
    @Override
    public MethodFit.LabelledRows convert(String name) {
      CalibrationMethod m = new Stage().convert(name);
      if (m.fitting() instanceof MethodFit.LabelledRows fit) {
        return fit;
      }
      throw new TypeConversionException(
          "method "
              + m.methodName()
              + " is not fitted on labelled dev rows; expected one such as temperature");
    }
  }

  /** The names of the stage methods, for help and completion. */
  public static final class StageNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return CalibrationMethod.stageMethods().stream()
          .map(CalibrationMethod::methodName)
          .iterator();
    }
  }

  /** The methods fitted on content-free rows alone, for help and completion. */
  public static final class ContentFreeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return CalibrationMethod.stageMethods().stream()
          .filter(CalibrationMethod::needsContentFree)
          .map(CalibrationMethod::methodName)
          .iterator();
    }
  }
}
