package org.magmap.train;

import java.util.List;
import org.magmap.ops.WireClasses;

/**
 * What training sends between driver and executors (see {@link WireClasses}): its distribution settings, and
 * DL4J's mini-batches and dl4j-spark's training messages, which go through Java serialization (their INDArrays
 * serialize themselves; Kryo's field serializer would walk ND4J internals).
 */
public final class TrainWireClasses implements WireClasses {
    @Override
    public List<Class<?>> kryo() {
        return List.of(Distribution.class);
    }

    @Override
    public List<Class<?>> javaSerialized() {
        return List.of(
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
    }
}
