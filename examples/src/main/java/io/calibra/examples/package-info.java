/**
 * Runnable examples: {@link io.calibra.examples.WrapYourClassifier} (calibrate a classifier you
 * already have), {@link io.calibra.examples.FewShotSentiment} (the embedded MiniLM model, few-shot,
 * with save and load) and {@link io.calibra.examples.CausalLmFromModelDir} (an exported causal LM);
 * and {@link io.calibra.examples.ReadmeExamples}, the Java blocks of README.md.
 */
package io.calibra.examples;
