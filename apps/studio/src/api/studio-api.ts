// The studio's HTTP API as types and constants, shared by the server and the browser UI: what each
// POST /api/<task> takes and answers, GET /api/models, GET /api/health and the error body. Plain JSON shapes.
import type { AlignmentLink, AttentionMapsJSON } from '@attn/core-attention';

/** Every task the studio runs, in the order the UI offers them. */
export const studioTasks = [
  'translate',
  'summarize',
  'answer',
  'chat',
  'detect',
  'segment',
  'transcribe',
] as const;

export type StudioTask = (typeof studioTasks)[number];

/** What the body of each task's POST is: JSON, an image file, or a WAV file. */
export const taskInputKinds: Readonly<Record<StudioTask, 'json' | 'image' | 'audio'>> = {
  translate: 'json',
  summarize: 'json',
  answer: 'json',
  chat: 'json',
  detect: 'image',
  segment: 'image',
  transcribe: 'audio',
};

/** The Content-Types an image or WAV upload may declare. */
export const imageMediaTypes = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'image/tiff',
  'image/avif',
] as const;
export const audioMediaTypes = [
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/vnd.wave',
] as const;

/**
 * The JSON bodies of the text tasks. `model` is an id from GET /api/models (default: the task's default).
 * Image and WAV tasks take the file as the body and `model` (and their options) in the query string:
 * `/api/detect?model=…&threshold=0.5`, `/api/segment?model=…&combine=rollout`, `/api/transcribe?model=…&language=en`.
 */
export interface TranslateRequest {
  text: string;
  model?: string;
  /** 1–8. */
  numBeams?: number;
  /** 1–256. */
  maxNewTokens?: number;
}
export interface SummarizeRequest {
  text: string;
  model?: string;
  numBeams?: number;
  maxNewTokens?: number;
}
export interface AnswerRequest {
  question: string;
  context: string;
  model?: string;
}
export interface ChatRequest {
  messages: { role: 'user' | 'assistant' | 'system'; content: string }[];
  model?: string;
  maxNewTokens?: number;
}

/** One model a task can run. */
export interface ModelEntry {
  /** What a request names in `model`: `attn/<name>` for a shipped model, the folder's name for a mapped one. */
  id: string;
  /** Whether its folder is there (a config.json); a default not trained yet is listed as unavailable. */
  available: boolean;
  /** Why it is unavailable, and what to do. */
  reason?: string;
}

/** GET /api/models. */
export interface ModelsResponse {
  tasks: {
    task: StudioTask;
    input: 'json' | 'image' | 'audio';
    defaultModel: string;
    models: ModelEntry[];
  }[];
  /** The largest bodies the server takes (larger ones are answered 413), so the UI can say so before uploading. */
  limits: { maxUploadBytes: number; maxJsonBytes: number };
}

/** GET /api/health: answered by the event loop even while every worker is busy. */
export interface HealthResponse {
  status: 'ok';
  uptimeSeconds: number;
  /** Jobs on a worker now, and waiting for one. */
  running: number;
  queued: number;
  workers: number;
  /** Jobs the server holds at once (running + queued); one more is answered 429. */
  capacity: number;
  /** Resident memory of the whole process (server and workers) now, and its peak since start. */
  rssBytes: number;
  peakRssBytes: number;
}

/** The body of every 4xx / 5xx answer. */
export interface ErrorResponse {
  error: {
    /** An AttnError code (INPUT_FORMAT, MODEL_NOT_FOUND, …) or the server's own (PAYLOAD_TOO_LARGE, QUEUE_FULL, …). */
    code: string;
    status: number;
    /** What happened, the likely cause and the fix. */
    message: string;
  };
}

/** What every result carries. */
interface ResultBase {
  model: string;
  /** Time on the worker, model loading included. */
  elapsedMs: number;
  warnings: string[];
}

/** Attention weights rounded to 4 decimals for the wire; [layer, head, query, key] as in AttentionMaps. */
export type WireAttention = AttentionMapsJSON;

export interface TranslateResult extends ResultBase {
  task: 'translate';
  text: string;
  sourceTokens: string[];
  targetTokens: string[];
  sourceWords: string[];
  targetWords: string[];
  alignment: AlignmentLink[];
  /** Cross-attention; row i + (rows − targetTokens.length) produced targetTokens[i]. */
  attention: WireAttention | null;
}

export interface TextSpanWeight {
  start: number;
  end: number;
  weight: number;
}

export interface SummarizeResult extends ResultBase {
  task: 'summarize';
  /** The input, which every span's offsets index. */
  source: string;
  summary: string;
  sourceTokens: string[];
  summaryTokens: string[];
  words: { word: string; sources: TextSpanWeight[] }[];
  sourceHighlights: TextSpanWeight[];
  attention: WireAttention | null;
}

export interface AnswerResult extends ResultBase {
  task: 'answer';
  context: string;
  answer: string;
  start: number;
  end: number;
  score: number;
  noAnswer: boolean;
  evidence: { start: TextSpanWeight[]; end: TextSpanWeight[] };
}

export interface ChatResult extends ResultBase {
  task: 'chat';
  reply: string;
  finishReason: string;
  turnAttention: { turn: number; role: string; weight: number }[];
}

export interface DetectResult extends ResultBase {
  task: 'detect';
  width: number;
  height: number;
  grid: { rows: number; cols: number };
  /** Highest score first; `attention` is the object query's map over the grid, row-major (empty when off). */
  objects: {
    label: string;
    score: number;
    /** Corners in the image's pixels. */
    box: { x0: number; y0: number; x1: number; y1: number };
    attention: number[];
  }[];
}

export interface SegmentResult extends ResultBase {
  task: 'segment';
  combine: 'mean' | 'rollout';
  width: number;
  height: number;
  grid: { rows: number; cols: number };
  /** Per head of the last layer: [CLS] → patch attention over the grid. */
  headMaps: number[][];
  /** The map the mask is cut from: the heads' mean, or the rollout's [CLS] row. */
  combinedMap: number[];
  /** 1 for the patches kept (60 % of the combined map's mass). */
  mask: number[];
}

export interface TranscribeResult extends ResultBase {
  task: 'transcribe';
  text: string;
  durationSeconds: number;
  words: { word: string; start: number; end: number; confidence: number }[];
  /**
   * The alignment heads' cross-attention, averaged: one row per generated token, one column per encoder frame up to
   * the audio's end (`secondsPerFrame` each). null for audio longer than one chunk.
   */
  alignment: { tokens: string[]; frames: number; secondsPerFrame: number; data: number[] } | null;
}

export type TaskResult =
  | TranslateResult
  | SummarizeResult
  | AnswerResult
  | ChatResult
  | DetectResult
  | SegmentResult
  | TranscribeResult;
