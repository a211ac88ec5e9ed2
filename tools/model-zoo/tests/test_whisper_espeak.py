"""recipes/whisper_espeak.py: Whisper's token layout over our BPE, the configs the runtime checks, teacher forcing,
and cached greedy decoding and cross-attention rows against a decoder re-run on the whole prefix."""
import unittest

import torch

from recipes import whisper_espeak as recipe
from zoo.architectures import byte_level_bpe as bpe

CAPTIONS = [" A dog runs in the park.", " Two children play with a red ball.", " A man is riding a bicycle."] * 3


def tiny_tokenizer() -> recipe.SpeechTokenizer:
    vocabulary, merges = bpe.train_bpe(CAPTIONS, 20)
    return recipe.SpeechTokenizer(vocabulary, merges, chunk_seconds=1)


def tiny_model(tokenizer):
    settings = dict(recipe.SMOKE, chunk_seconds=1)
    torch.manual_seed(0)
    model = recipe.build_model(settings, tokenizer).whisper.eval()
    with torch.no_grad():  # larger weights than the initialisation's, so outputs depend on the input
        for parameter in model.parameters():
            if parameter.requires_grad:
                parameter.normal_(0, 0.5)
    return model, settings


class TokenLayoutTest(unittest.TestCase):
    def test_whisper_order_and_prompt(self):
        tokenizer = tiny_tokenizer()
        eos = len(tokenizer.vocabulary)
        self.assertEqual(tokenizer.eos, eos)
        names = ["<|startoftranscript|>", "<|en|>", "<|translate|>", "<|transcribe|>", "<|startoflm|>",
                 "<|startofprev|>", "<|nocaptions|>", "<|notimestamps|>"]
        self.assertEqual([tokenizer.special[name] for name in names], list(range(eos + 1, eos + 9)))
        self.assertEqual(tokenizer.prompt, [eos + 1, eos + 2, eos + 4, eos + 8])
        self.assertEqual(tokenizer.vocab_size, eos + 9 + 51)  # <|0.00|> … <|1.00|>
        ids = tokenizer.encode("A dog")
        self.assertEqual(b"".join(tokenizer.token_bytes(token) for token in ids), b" A dog")
        self.assertTrue(tokenizer.vocabulary[ids[0]].startswith("Ġ"))

    def test_configs_agree_as_the_runtime_requires(self):
        tokenizer = tiny_tokenizer()
        model, settings = tiny_model(tokenizer)
        preprocessor = recipe.preprocessor_config(settings)
        self.assertEqual(preprocessor["n_samples"], preprocessor["chunk_length"] * preprocessor["sampling_rate"])
        self.assertEqual(preprocessor["nb_max_frames"], preprocessor["n_samples"] // preprocessor["hop_length"])
        self.assertEqual(preprocessor["nb_max_frames"], 2 * model.config.max_source_positions)
        self.assertAlmostEqual(preprocessor["chunk_length"] / model.config.max_source_positions, 0.02)
        generation = recipe.generation_config(tokenizer, [[0, 1]])
        self.assertEqual(generation["no_timestamps_token_id"], tokenizer.no_timestamps)
        self.assertEqual(generation["lang_to_id"], {"<|en|>": tokenizer.prompt[1]})
        self.assertEqual(generation["decoder_start_token_id"], tokenizer.prompt[0])
        self.assertGreaterEqual(model.config.max_target_positions, 448)


class DecodingTest(unittest.TestCase):
    def test_teacher_forcing_labels_follow_the_prompt(self):
        tokenizer = tiny_tokenizer()
        inputs, labels = recipe.teacher_forcing([[5, 6], [7]], tokenizer)
        prompt, eos = tokenizer.prompt, tokenizer.eos
        self.assertEqual(inputs.tolist(), [prompt + [5, 6], prompt + [7, eos]])
        self.assertEqual(labels.tolist(), [[-100, -100, -100, 5, 6, eos], [-100, -100, -100, 7, eos, -100]])

    def test_cached_greedy_equals_decoding_the_whole_prefix(self):
        tokenizer = tiny_tokenizer()
        model, _ = tiny_model(tokenizer)
        encoded = torch.randn(2, 50, model.config.d_model, generator=torch.Generator().manual_seed(1))
        decoded = recipe.greedy_transcripts(model, encoded, tokenizer, max_new_tokens=6)
        for row, (tokens, ended) in enumerate(decoded):
            sequence = list(tokenizer.prompt)
            with torch.no_grad():
                for step in range(6):
                    logits, _, _ = model.decode(torch.tensor([sequence]), encoded[row : row + 1])
                    scores = logits[0, -1].clone()
                    scores[tokenizer.eos + 1 :] = float("-inf")
                    if step == 0:
                        scores[recipe.begin_suppress_tokens(tokenizer)] = float("-inf")
                    sequence.append(int(scores.argmax()))
                    if sequence[-1] == tokenizer.eos:
                        break
            expected = [token for token in sequence[len(tokenizer.prompt) :] if token != tokenizer.eos]
            self.assertEqual((tokens, ended), (expected, sequence[-1] == tokenizer.eos))
            self.assertTrue(all(token < tokenizer.eos for token in tokens))

    def test_cross_attention_rows_equal_the_cached_steps(self):
        tokenizer = tiny_tokenizer()
        model, _ = tiny_model(tokenizer)
        encoded = torch.randn(2, 50, model.config.d_model, generator=torch.Generator().manual_seed(2))
        token_lists = [[3, 4, 5], [6]]
        rows = recipe.cross_attention_rows(model, encoded, token_lists, tokenizer)
        with torch.no_grad():
            _, past, first = model.decode(torch.tensor([tokenizer.prompt]), encoded[:1])
            _, _, second = model.decode(torch.tensor([[3]]), encoded[:1], past)
        self.assertEqual(tuple(rows[1].shape), (1, 2, 5, 50))
        torch.testing.assert_close(rows[0][:, :, :4], torch.stack(first)[:, 0])
        torch.testing.assert_close(rows[0][:, :, 4:5], torch.stack(second)[:, 0])


if __name__ == "__main__":
    unittest.main()


class EncoderGradientTest(unittest.TestCase):
    """The conv stem's gradients in float32 match float64: torch 1.13's CPU GELU backward, given a permuted incoming
    gradient, returned garbage (NaN training losses), so the encoder applies GELU after the permute."""

    def test_float32_gradients_match_float64(self):
        tokenizer = tiny_tokenizer()
        model, _ = tiny_model(tokenizer)
        encoder = model.model.encoder
        features = torch.randn(3, recipe.speech_data.N_MELS, 100, generator=torch.Generator().manual_seed(1))
        gradients = {}
        for dtype in (torch.float32, torch.float64):
            encoder.to(dtype)
            encoder.zero_grad()
            encoder(features.to(dtype)).pow(2).sum().backward()
            gradients[dtype] = {name: parameter.grad.double().clone() for name, parameter in encoder.named_parameters()
                                if parameter.grad is not None}
        encoder.float()
        for name in ("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"):
            exact = gradients[torch.float64][name]
            error = float((gradients[torch.float32][name] - exact).abs().max() / exact.abs().max())
            self.assertLess(error, 1e-4, name)


class CtcTargetsTest(unittest.TestCase):
    def test_lower_case_letters_spaces_and_apostrophes_only(self):
        targets = recipe.ctc_targets("A  dog's ball, 2 Cats!")
        self.assertEqual("".join(recipe.CTC_ALPHABET[index] for index in targets), "a dog's ball cats")
        self.assertTrue(all(0 <= index < len(recipe.CTC_ALPHABET) for index in targets))  # the blank is never a target
