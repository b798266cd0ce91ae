package org.magmap.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * A small builder of an ONNX graph: float inputs and outputs with a free batch axis, constant tensors
 * (initializers) taken from ND4J arrays, and nodes with their attributes. Names of intermediate values are made
 * unique here, so the exporter can say what it means ("enc_conv", "res1_norm2") without bookkeeping.
 */
final class OnnxGraph {
    /** The operator set written: Pad, Slice and Split take their sizes as inputs from 13 on. */
    static final int OPSET = 13;
    /** IR version 8 is what ONNX 1.10 to 1.12 write; readers from 2021 on take it. */
    static final long IR_VERSION = 8;
    /** The name of the free first axis of inputs and outputs. */
    static final String BATCH = "batch";

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final java.util.Set<String> names = new java.util.HashSet<>();

    private final java.util.Set<String> reserved;

    /**
     * @param name the graph's name
     * @param outputs the names the outputs will carry: held back from intermediate values
     */
    OnnxGraph(String name, List<String> outputs) {
        graph.setName(name);
        reserved = java.util.Set.copyOf(outputs);
        names.addAll(reserved);
    }

    /** Gives {@code value} one of the reserved output names (through an Identity node). */
    String rename(String value, String outputName) {
        if (!reserved.contains(outputName)) {
            throw new IllegalArgumentException(outputName + " was not reserved as an output name");
        }
        graph.addNode(Onnx.NodeProto.newBuilder()
                .setOpType("Identity")
                .setName(outputName)
                .addInput(value)
                .addOutput(outputName));
        return outputName;
    }

    /** A float input whose first axis is the batch; {@code dims} are the others. */
    String input(String name, long... dims) {
        graph.addInput(valueInfo(claim(name), dims));
        return name;
    }

    /** Declares {@code value} a float output whose first axis is the batch. */
    void output(String value, long... dims) {
        graph.addOutput(valueInfo(value, dims));
    }

    /** A float32 constant with the array's shape and values (c order). */
    String constant(String name, INDArray values) {
        INDArray c = values.castTo(DataType.FLOAT).dup('c');
        float[] data = c.data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            bytes.putFloat(v);
        }
        return initializer(name, Onnx.TensorProto.DataType.FLOAT_VALUE, c.shape(), bytes);
    }

    /** An int64 vector constant (shapes, pads, split sizes). */
    String longs(String name, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            bytes.putLong(v);
        }
        return initializer(name, Onnx.TensorProto.DataType.INT64_VALUE, new long[] {values.length}, bytes);
    }

    /** A constant tensor from little-endian raw bytes (ONNX's raw_data layout). */
    private String initializer(String name, int type, long[] dims, ByteBuffer littleEndian) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder()
                .setName(claim(name))
                .setDataType(type)
                .setRawData(ByteString.copyFrom(littleEndian.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return t.getName();
    }

    /**
     * Adds one node and returns the name of its (first) output.
     *
     * @param op the ONNX operator
     * @param name what the node computes; made unique
     * @param inputs value names, in the operator's order ("" for an omitted optional input)
     * @param attributes name to long[], double or String
     */
    String node(String op, String name, List<String> inputs, Map<String, Object> attributes) {
        String out = claim(name);
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder()
                .setOpType(op)
                .setName(out)
                .addAllInput(inputs)
                .addOutput(out);
        attributes.forEach((key, value) -> n.addAttribute(attribute(key, value)));
        graph.addNode(n);
        return out;
    }

    String node(String op, String name, List<String> inputs) {
        return node(op, name, inputs, Map.of());
    }

    /** The model: this graph, opset {@value #OPSET}, and string metadata (shown by Netron and onnxruntime). */
    byte[] model(Map<String, String> metadata) {
        Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("magmap")
                .setGraph(graph)
                .addOpsetImport(
                        Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(
                Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build().toByteArray();
    }

    private String claim(String name) {
        String unique = name;
        for (int i = 2; !names.add(unique); i++) {
            unique = name + "_" + i;
        }
        return unique;
    }

    private static Onnx.ValueInfoProto valueInfo(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(Onnx.TypeProto.newBuilder()
                        .setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                                .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                                .setShape(shape)))
                .build();
    }

    private static Onnx.AttributeProto attribute(String name, Object value) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name);
        if (value instanceof long[] ints) {
            a.setType(Onnx.AttributeProto.AttributeType.INTS);
            for (long v : ints) {
                a.addInts(v);
            }
        } else if (value instanceof Long one) {
            a.setType(Onnx.AttributeProto.AttributeType.INT).setI(one);
        } else if (value instanceof Double f) {
            a.setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(f.floatValue());
        } else if (value instanceof String s) {
            a.setType(Onnx.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value);
        }
        return a.build();
    }
}
