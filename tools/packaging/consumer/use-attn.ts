// A user's program, compiled and run inside the fresh project the packaging test installs the packed packages
// into: translate(), detect() and transcribe() as a user calls them, the results printed as JSON.
import { AttnError as AudioError, transcribe } from '@attn/audio';
import { AttnError, translate } from '@attn/nlp';
import { AttnError as VisionError, detect } from '@attn/vision';

/** What the test passes (as JSON in argv[2]): inputs, and a model folder where no shipped model exists yet. */
export interface ConsumerInputs {
  sentence: string;
  scene: string;
  speech: string;
  detectionModel?: string;
  speechModel?: string;
}

/** What the program prints: the results, and where the packages were loaded from. */
export interface ConsumerResults {
  resolved: { nlp: string; vision: string; audio: string };
  translation: { text: string; alignment: { source: number; target: number; weight: number }[] };
  detection: {
    label: string;
    score: number;
    box: { x0: number; y0: number; x1: number; y1: number };
  }[];
  transcription: { text: string; words: { word: string; start: number; end: number }[] };
  /** translate('') caught with the AttnError that @attn/nlp exports (no import of @attn/core-attention). */
  emptyText: { code: string; oneClass: boolean };
}

const inputs = JSON.parse(process.argv[2] ?? '{}') as ConsumerInputs;
const translation = await translate(inputs.sentence);
const detection = await detect(inputs.scene, {
  threshold: 0,
  ...(inputs.detectionModel === undefined ? {} : { model: inputs.detectionModel }),
});
const transcription = await transcribe(inputs.speech, {
  ...(inputs.speechModel === undefined ? {} : { model: inputs.speechModel }),
});
let emptyText: ConsumerResults['emptyText'] = { code: 'no error', oneClass: false };
try {
  await translate('');
} catch (error) {
  emptyText = {
    code: error instanceof AttnError ? error.code : 'not an AttnError',
    oneClass: AttnError === VisionError && AttnError === AudioError,
  };
}
// Compile-time only: the installed declarations type the results (a missing .d.ts would make them `any`, silently).
type IsAny<Type> = 0 extends 1 & Type ? true : false;
const typed: [IsAny<typeof translation>, IsAny<typeof detection>, IsAny<typeof transcription>] = [
  false,
  false,
  false,
];
void typed;
const results: ConsumerResults = {
  resolved: {
    nlp: import.meta.resolve('@attn/nlp'),
    vision: import.meta.resolve('@attn/vision'),
    audio: import.meta.resolve('@attn/audio'),
  },
  translation: { text: translation.text, alignment: translation.alignment },
  detection: detection.objects.map(({ label, score, box }) => ({ label, score, box })),
  transcription: {
    text: transcription.text,
    words: transcription.words.map(({ word, start, end }) => ({ word, start, end })),
  },
  emptyText,
};
process.stdout.write(JSON.stringify(results));
