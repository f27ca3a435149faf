package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import java.util.List;

/**
 * How a method's stage is saved: the names of its parameter arrays in file order, and how a
 * calibrator is rebuilt from them. Each calibrator class defines its own beside its fitting; the
 * writing side is the calibrator's {@link AbstractCalibrator#parameterMap()}.
 */
final class StageFormat {
  /** Rebuilds a calibrator from its saved parameters. */
  @FunctionalInterface
  interface Reader {
    Calibrator read(LabelSet labels, StageParameters parameters);
  }

  private final List<String> parameterNames;
  private final Reader reader;

  StageFormat(Reader reader, String... parameterNames) {
    this.reader = reader;
    this.parameterNames = List.of(parameterNames);
  }

  List<String> parameterNames() {
    return parameterNames;
  }

  Calibrator read(LabelSet labels, StageParameters parameters) {
    return reader.read(labels, parameters);
  }
}
