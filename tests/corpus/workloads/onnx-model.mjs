// A small ONNX model (MatMul, Add, Relu, MatMul, Softmax over a dynamic batch), written in the
// protobuf wire format by hand so that the workload needs no model file and no protobuf library.
// Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ...).

const utf8 = new TextEncoder();

function varint(value) {
  let n = BigInt(value);
  const out = [];
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const key = (field, wireType) => varint((field << 3) | wireType);
const bytes = (field, content) => [...key(field, LENGTH_DELIMITED), ...varint(content.length), ...content];
const string = (field, text) => bytes(field, [...utf8.encode(text)]);
const integer = (field, value) => [...key(field, VARINT), ...varint(value)];
const message = (field, parts) => bytes(field, parts.flat());

const FLOAT = 1;  // TensorProto.DataType

function initializer(name, dims, values) {
  const raw = new Uint8Array(Float32Array.from(values).buffer);
  return message(5, [...dims.map((d) => integer(1, d)), integer(2, FLOAT), string(8, name), bytes(9, [...raw])]);
}

// A float tensor input (field 11) or output (field 12); a string dimension is symbolic.
function valueInfo(field, name, dims) {
  const shape = dims.map((d) => message(1, [typeof d === 'string' ? string(2, d) : integer(1, d)]));
  return message(field, [string(1, name), message(2, [message(1, [integer(1, FLOAT), message(2, shape)])])]);
}

const node = (op, inputs, outputs) =>
  message(1, [...inputs.map((name) => string(1, name)), ...outputs.map((name) => string(2, name)), string(4, op)]);

/** Y = Softmax(Relu(X·W1 + B1)·W2), X of shape [N, inputs], weights from a fixed LCG. */
export function mlpModel(inputs, hidden, outputs, seed = 1) {
  let state = seed;
  const weights = (n) => Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return (state % 2001) / 1000 - 1;
  });
  const graph = [
    node('MatMul', ['X', 'W1'], ['H0']), node('Add', ['H0', 'B1'], ['H1']), node('Relu', ['H1'], ['H2']),
    node('MatMul', ['H2', 'W2'], ['L']), node('Softmax', ['L'], ['Y']),
    string(2, 'mlp'),
    initializer('W1', [inputs, hidden], weights(inputs * hidden)),
    initializer('B1', [hidden], weights(hidden)),
    initializer('W2', [hidden, outputs], weights(hidden * outputs)),
    valueInfo(11, 'X', ['N', inputs]), valueInfo(12, 'Y', ['N', outputs]),
  ];
  const irVersion = integer(1, 8);
  const opset13 = message(8, [string(1, ''), integer(2, 13)]);
  return new Uint8Array([...irVersion, ...opset13, ...message(7, graph)]);
}
