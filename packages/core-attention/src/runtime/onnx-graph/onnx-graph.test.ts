import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxBuilder, withExternalData } from '../../testing/index.js';
import {
  addGraphOutput,
  decodeModel,
  encodeModel,
  externalDataLocations,
  floatAttribute,
  indexGraph,
  intAttribute,
  intsAttribute,
  onnxDataType,
  readModel,
  setIntAttribute,
  subgraphs,
  tensorTypeOf,
  toNumber,
} from './index.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'attn-onnx-graph-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** x [1,2] -> MatMul(W) -> Softmax -> y, with W = [[1,2],[3,4]]. */
function tinyModel(): OnnxBuilder {
  const builder = new OnnxBuilder();
  builder.input('x', 'float32', ['batch', 2]);
  builder.constant('W', { type: 'float32', data: new Float32Array([1, 2, 3, 4]), dims: [2, 2] });
  const [product] = builder.node('MatMul', ['x', 'W'], { name: 'mm', outputs: ['product'] });
  builder.node('Softmax', [product as string], {
    name: 'sm',
    outputs: ['y'],
    attributes: { axis: -1 },
  });
  builder.output('y', 'float32', ['batch', 2]);
  return builder;
}

describe('decodeModel / encodeModel', () => {
  it('round-trips a model that onnxruntime runs the same before and after', async () => {
    const bytes = tinyModel().toBytes();
    const again = encodeModel(decodeModel(bytes, 'tiny.onnx'));
    expect(again).toEqual(bytes);
    const session = await ort.InferenceSession.create(again);
    const { y } = await session.run({
      x: new ort.Tensor('float32', new Float32Array([1, 0]), [1, 2]),
    });
    // x W = [1, 2]; softmax = [1, e] / (1 + e)
    expect(Array.from(y?.data as Float32Array)).toEqual(
      [1 / (1 + Math.E), Math.E / (1 + Math.E)].map(Math.fround),
    );
    await session.release();
  });

  it('rejects bytes that are not a model, and a missing file, with codes', async () => {
    expect(() =>
      decodeModel(new TextEncoder().encode('version https://git-lfs.github.com/spec/v1'), 'x.onnx'),
    ).toThrow(
      expect.objectContaining({
        code: 'MODEL_FORMAT',
        message: expect.stringContaining('x.onnx is not an ONNX model'),
      }),
    );
    expect(() => decodeModel(new Uint8Array(0), 'empty.onnx')).toThrow(/has no graph/);
    await expect(readModel(join(folder, 'absent.onnx'))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
  });

  it('reads a file and returns the bytes it decoded', async () => {
    const path = join(folder, 'tiny.onnx');
    await writeFile(path, tinyModel().toBytes());
    const { model, bytes } = await readModel(path);
    expect(model.graph?.node?.map((node) => node.opType)).toEqual(['MatMul', 'Softmax']);
    expect(bytes).toEqual(tinyModel().toBytes());
  });
});

describe('indexGraph', () => {
  it('finds producers and consumers, and inputs versus initializers', () => {
    const index = indexGraph(tinyModel().graph);
    expect(index.producer('y')?.name).toBe('sm');
    expect(index.producer('x')).toBeUndefined();
    expect(index.consumers('product').map((node) => node.name)).toEqual(['sm']);
    expect(index.consumers('y')).toEqual([]);
    expect(index.isGraphInput('x')).toBe(true);
    expect(index.isGraphInput('W')).toBe(false);
    expect(index.initializer('W')?.dims?.map(toNumber)).toEqual([2, 2]);
  });

  it('lets a subgraph look up values of its enclosing graph, its own first', () => {
    const outer = indexGraph(tinyModel().graph);
    const inner = indexGraph(
      { node: [{ opType: 'Relu', name: 'inner', input: ['product'], output: ['z'] }] },
      outer,
    );
    expect(inner.producer('z')?.name).toBe('inner');
    expect(inner.producer('product')?.name).toBe('mm');
    expect(inner.isGraphInput('x')).toBe(true);
    expect(inner.initializer('W')).toBeDefined();
    expect(inner.consumers('product').map((node) => node.name)).toEqual(['inner']);
  });
});

describe('attributes', () => {
  it('reads ints, floats, lists and subgraphs, with fallbacks, and sets ints', () => {
    const branch = { name: 'b' };
    const node = {
      opType: 'If',
      attribute: [
        { name: 'axis', type: 2, i: -1 },
        { name: 'scale', type: 1, f: 0.5 },
        { name: 'perm', type: 7, ints: [0, 2, 1, 3] },
        { name: 'then_branch', type: 5, g: branch },
      ],
    };
    expect(intAttribute(node, 'axis', 1)).toBe(-1);
    expect(intAttribute(node, 'absent', 7)).toBe(7);
    expect(floatAttribute(node, 'scale', 1)).toBe(0.5);
    expect(intsAttribute(node, 'perm')).toEqual([0, 2, 1, 3]);
    expect(intsAttribute(node, 'absent')).toBeUndefined();
    expect(subgraphs(node)).toEqual([{ attribute: 'then_branch', graph: branch }]);
    setIntAttribute(node, 'axis', 2);
    expect(intAttribute(node, 'axis', 0)).toBe(2);
    expect(node.attribute.filter((attribute) => attribute.name === 'axis')).toHaveLength(1);
  });

  it('reads int64 fields decoded as Long', () => {
    const decoded = decodeModel(tinyModel().toBytes(), 'tiny.onnx');
    expect(intAttribute(decoded.graph?.node?.[1] ?? {}, 'axis', 0)).toBe(-1);
    expect(toNumber(decoded.irVersion)).toBe(8);
  });
});

describe('addGraphOutput', () => {
  it('exposes an intermediate value to run(), and refuses a duplicate name', async () => {
    const model = decodeModel(tinyModel().toBytes(), 'tiny.onnx');
    addGraphOutput(model.graph!, 'product', 'float32', ['batch', 2]);
    expect(() => addGraphOutput(model.graph!, 'product', 'float32')).toThrow(
      /already has an output named 'product'/,
    );
    const session = await ort.InferenceSession.create(encodeModel(model));
    const outputs = await session.run({
      x: new ort.Tensor('float32', new Float32Array([1, 1]), [1, 2]),
    });
    expect(Array.from(outputs.product?.data as Float32Array)).toEqual([4, 6]); // [1,1] · [[1,2],[3,4]]
    await session.release();
  });
});

describe('element types', () => {
  it('maps onnxruntime names to ONNX data types and back', () => {
    expect(onnxDataType('float32')).toBe(1);
    expect(onnxDataType('int64')).toBe(7);
    expect(onnxDataType('bool')).toBe(9);
    expect(tensorTypeOf(10)).toBe('float16');
    expect(tensorTypeOf(8)).toBeUndefined();
    for (const type of ['float32', 'int32', 'uint8', 'float64'] as const)
      expect(tensorTypeOf(onnxDataType(type))).toBe(type);
  });
});

describe('externalDataLocations', () => {
  it('lists the external data files of a model, and none for a self-contained one', () => {
    const { model } = withExternalData(tinyModel().toBytes(), 'tiny.onnx_data', 0);
    expect(externalDataLocations(decodeModel(model, 'tiny.onnx'))).toEqual(['tiny.onnx_data']);
    expect(externalDataLocations(decodeModel(tinyModel().toBytes(), 'tiny.onnx'))).toEqual([]);
  });
});
