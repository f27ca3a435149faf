/**
 * JMH benchmarks of calibra's hot paths. Build with {@code ./mvnw -pl benchmarks -am package
 * -DskipTests} and run {@code java -jar benchmarks/target/benchmarks.jar}; results and the commands
 * that produced them are in benchmarks/README.md.
 */
package io.calibra.benchmarks;
