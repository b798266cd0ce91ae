package org.magmap.spark;

import java.util.List;

/** The list behind {@link MagmapKryoRegistrator}; grows as jobs add work-unit types. */
final class KryoClasses {
    static final List<Class<?>> ALL = List.of(
            // Spark internals that our Dataset writes and collects move with registrationRequired on.
            Object[].class,
            byte[][].class,
            double[].class,
            float[].class,
            int[].class,
            long[].class,
            String[].class,
            java.util.ArrayList.class,
            java.util.HashMap.class,
            java.util.LinkedHashMap.class,
            org.magmap.spark.ExecutorProbe.Report.class,
            org.magmap.sim.TurbulenceSpec.class,
            org.magmap.sim.CubeStatistics.class,
            org.magmap.sim.SimulationRunner.Result.class,
            org.magmap.ops.OutputFiles.HadoopSettings.class,
            org.magmap.observe.ObserveSettings.class,
            org.magmap.observe.ObserveWork.CubeTask.class,
            org.magmap.observe.ObserveWork.ViewResult.class,
            org.magmap.patch.PatchUnit.class,
            org.magmap.patch.PatchSettings.class,
            org.magmap.evaluate.RegressionSums.class,
            org.magmap.evaluate.DeviationHistogram.class,
            org.magmap.evaluate.GroupMetrics.class,
            org.magmap.evaluate.MapMetrics.class,
            org.magmap.predict.MapTargets.class,
            org.magmap.train.Distribution.class,
            org.magmap.evaluate.JointHistogram.class,
            org.magmap.evaluate.Comparison.class,
            org.magmap.evaluate.ComparisonAccumulator.Settings.class);

    /**
     * Classes sent with Java serialization: DL4J's mini-batches and dl4j-spark's training messages (their
     * INDArrays serialize themselves; Kryo's field serializer would walk ND4J internals).
     */
    static final List<Class<?>> JAVA_SERIALIZED = List.of(
            org.nd4j.linalg.dataset.DataSet.class,
            org.nd4j.linalg.dataset.MultiDataSet.class,
            // dl4j-spark parameter averaging: the broadcast network, each worker's result, the aggregate
            org.deeplearning4j.spark.api.worker.NetBroadcastTuple.class,
            org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult.class,
            org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple.class,
            org.datavec.spark.util.SerializableHadoopConfig.class,
            // dl4j-spark gradient sharing: the broadcast configuration, each worker's result, the aggregate
            org.deeplearning4j.spark.parameterserver.conf.SharedTrainingConfiguration.class,
            org.deeplearning4j.spark.parameterserver.training.SharedTrainingResult.class,
            org.deeplearning4j.spark.parameterserver.accumulation.SharedTrainingAccumulationTuple.class);

    private KryoClasses() {}
}
