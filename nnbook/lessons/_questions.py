"""Lessons 01-11: the concept questions that end each lesson, as plain data (one tuple per lesson).

A question is a :class:`Choice` (three or four options, one right) or a :class:`Number` (a value within a
tolerance). Every question carries the explanation shown after an answer, right or wrong; wrong options
and the usual wrong numbers carry a note on why they are tempting and wrong. ``nnbook.lessons.quiz``
asks and checks them; the tests recompute every number with the library.
"""

from __future__ import annotations

from typing import NamedTuple


class Choice(NamedTuple):
    """A multiple-choice question: ``options`` are (text, note) pairs, the note saying why a wrong option
    is tempting and wrong ("" for the right option, or where there is nothing useful to say)."""

    text: str
    options: tuple[tuple[str, str], ...]
    right: str                  # the right option's letter: "a", "b", "c" or "d"
    explanation: str            # why the right answer is right, shown after every answer


class Number(NamedTuple):
    """A question whose answer is a number: right within ``tolerance`` of ``answer``; ``mistakes`` are
    (the value a usual mistake gives, a note naming that mistake) pairs."""

    text: str
    answer: float
    tolerance: float
    explanation: str
    mistakes: tuple[tuple[float, str], ...] = ()


LESSON_01 = (
    Choice(
        "Training a network changes some numbers and keeps others fixed. Which numbers does it change?",
        (("the training data", "The data are given: training learns from them and never edits them."),
         ("the learning rate", "You choose the learning rate before training starts; training only uses it."),
         ("the weights", ""),
         ("the true labels", "The labels are the right answers the network is measured against; changing "
                             "them would make any network look perfect.")),
        "c",
        "The data are fixed; the weights are the network's adjustable numbers, and training is the search "
        "for weights that make the loss small.",
    ),
    Number(
        "A network's output layer applies softmax to two scores: 2.0 for cat and 0.0 for dog. What "
        "probability does it give cat? (Answer as a fraction, for example 0.6; three decimals are enough.)",
        0.8808, 0.001,
        "Softmax raises e to each score and divides by the total: e^2 / (e^2 + e^0) = 7.389 / 8.389 = "
        "0.8808. The dog gets the rest, 0.1192, so the two add up to 1.",
        ((1.0, "1 is what dividing the scores themselves by their sum gives, 2 / (2 + 0): that skips the "
               "exponential, and a score of 0 would then always mean probability 0."),
         (0.5, "0.5 is what equal scores give. These scores differ by 2, so cat is favoured.")),
    ),
    Number(
        "The picture is a cat, so the truth is (1, 0). The network says 90% cat and 10% dog. What is its "
        "loss, the sum of squared errors?",
        0.02, 0.001,
        "Take each difference, square it, add: (1 - 0.9)^2 + (0 - 0.1)^2 = 0.01 + 0.01 = 0.02. A perfect "
        "answer would score 0; the lesson's 75/25 answer scores 0.125.",
        ((0.2, "0.2 = 0.1 + 0.1 adds the differences without squaring them."),
         (0.01, "0.01 counts only the cat term; the dog's 0.1 is an error too, and its square counts.")),
    ),
    Choice(
        "What is an epoch?",
        (("one step of the optimizer", "A step is one update of the weights. In the lesson's toy example "
                                       "the training set is one picture, so an epoch happens to be one step; "
                                       "with more data an epoch holds many steps."),
         ("one pass of the whole training set through the network", ""),
         ("one forward pass of a single sample", "That is a forward pass; an epoch covers every sample."),
         ("the time training takes", "Training usually runs many epochs, not one.")),
        "b",
        "An epoch is one pass over all the training data. Training repeats it many times over the same "
        "data, the weights improving a little in each.",
    ),
    Choice(
        "Why is training called an optimisation problem?",
        (("Because it makes the network run faster.", "Speed is not what is optimised; the loss is."),
         ("Because the network's answer is always the best possible.",
          "Even a trained network makes mistakes; training only makes the loss as small as it can."),
         ("Because it chooses the best training data.", "The training data are fixed during training."),
         ("Because the loss is a function of the weights, and training looks for weights where it is "
          "smallest.", "")),
        "d",
        "With the data fixed, the loss depends only on the weights. Finding the weights that make a function "
        "small is optimisation, and the optimizer (SGD or a relative of it) is the algorithm that does it.",
    ),
    Choice(
        "What does one step of stochastic gradient descent (SGD) do?",
        (("It moves every weight a small step in the direction in which the loss goes down.", ""),
         ("It jumps straight to the weights where the loss is lowest.",
          "Nobody can see where the lowest point is; the optimizer only knows which way is downhill where "
          "it stands, so it takes small steps."),
         ("It tries random weights and keeps them if the loss fell.",
          "Random tries would be hopeless with millions of weights; SGD uses the slope to pick the direction."),
         ("It adds more training data.", "The data stay the same; only the weights change.")),
        "a",
        "SGD measures which way the loss falls from the current weights and moves a little that way, again "
        "and again. 'Stochastic' because with a large data set each step looks at a random batch of samples "
        "rather than all of them.",
    ),
)

LESSON_02 = (
    Choice(
        "A class map has four classes: Bird 0, Cat 1, Dog 2, Fish 3. What is Dog's one-hot vector?",
        (("(0, 1, 0, 0)", "That puts the 1 at Cat's position: counting from 1 instead of 0."),
         ("(0, 0, 2, 0)", "A one-hot vector holds a single 1, not the label itself."),
         ("(0, 0, 1, 0)", ""),
         ("(2)", "That is the integer label. One-hot has one entry per class.")),
        "c",
        "Dog's label is 2, so its vector is all zeros with a single 1 at position 2 (counting from 0), one "
        "entry per class: (0, 0, 1, 0).",
    ),
    Choice(
        "Why do classifiers usually want one-hot targets rather than integer labels?",
        (("One-hot vectors take less memory.", "They take more: one number per class instead of one per "
                                               "sample."),
         ("One-hot targets make the network more confident.", "The encoding of the truth does not change "
                                                              "how sure the network is."),
         ("numpy cannot store integer labels.", "It can; integer labels are used all the time (lesson 07's "
                                                "loss takes them)."),
         ("Integers suggest an order and distances the classes do not have, and one-hot targets have the "
          "same shape as the network's output: one value per class.", "")),
        "d",
        "Label 2 is not 'more' than label 1, yet as numbers it is. A one-hot row treats every class alike, "
        "and it looks like a perfectly confident prediction, so target and output can be compared entry by "
        "entry.",
    ),
    Choice(
        "With the class map Cat 0, Dog 1, Other 2, the network answers (0.45, 0.15, 0.40) for a picture. "
        "Which class does it predict?",
        (("Cat", ""),
         ("Dog", "Dog has the smallest probability, 0.15."),
         ("Other", "0.40 is close, but 0.45 is larger."),
         ("none: no probability is above 0.5", "No threshold is needed: the predicted class is simply the "
                                               "one with the largest probability.")),
        "a",
        "The predicted class is the argmax of the row: the largest entry, 0.45, sits at position 0, and the "
        "class map says position 0 is Cat.",
    ),
    Choice(
        "There are three classes, but a batch happens to hold only the labels [0, 1, 1]. What goes wrong if "
        "one-hot encoding takes the number of classes from the batch (largest label + 1)?",
        (("Nothing: the vectors come out the same.", "They do not: with 2 classes each vector has 2 entries."),
         ("Each vector gets 2 entries instead of 3, so the targets no longer match the network's 3 outputs.",
          ""),
         ("The labels are shifted by one.", "The positions are right; the length is what goes wrong."),
         ("The 1s turn into 2s.", "Each vector still holds a single 1.")),
        "b",
        "The largest label in a batch need not be the last class. Passing num_classes explicitly keeps one "
        "entry per class in every batch.",
    ),
    Number(
        "A batch of 8 pictures of 3 classes is one-hot encoded into a matrix. How many of its entries are 0?",
        16, 0.5,
        "The matrix is 8 rows by 3 columns, 24 entries. Each row holds exactly one 1, so there are 8 ones "
        "and 24 - 8 = 16 zeros.",
        ((24, "24 is every entry of the 8 x 3 matrix; each row also holds one 1."),
         (8, "8 is the number of 1s, one per row.")),
    ),
)

LESSON_03 = (
    Number(
        "The truth is (0, 1, 0) and the network predicts (0.2, 0.7, 0.1). What is the sum of squared errors?",
        0.14, 0.001,
        "Square each difference and add: (0 - 0.2)^2 + (1 - 0.7)^2 + (0 - 0.1)^2 = 0.04 + 0.09 + 0.01 = 0.14.",
        ((0.6, "0.6 = 0.2 + 0.3 + 0.1 adds the sizes of the differences without squaring them."),
         (0.0, "0 is what the signed differences -0.2, +0.3 and -0.1 add up to: without squaring they "
               "cancel, which is the reason to square.")),
    ),
    Choice(
        "Why does the SSE square each difference?",
        (("Because probabilities are between 0 and 1.", "Squared errors are used for any numbers, not only "
                                                        "probabilities."),
         ("To make the loss smaller.", "Squaring makes differences below 1 smaller, but that is a side "
                                       "effect, not the purpose."),
         ("So that errors of opposite sign cannot cancel, and a large miss counts much more than a small one.",
          ""),
         ("So that the loss of a perfect prediction is 1.", "A perfect prediction has a loss of 0.")),
        "c",
        "A square is never negative, so every wrong entry adds to the loss. And a miss twice as large costs "
        "four times as much, so the loss pays most attention to the worst entries.",
    ),
    Number(
        "A batch of 4 samples has per-sample SSEs 0.2, 0.4, 0.1 and 0.5. What is the batch's MSE, as this "
        "course defines it?",
        0.3, 0.001,
        "The MSE is the mean of the samples' SSEs: (0.2 + 0.4 + 0.1 + 0.5) / 4 = 1.2 / 4 = 0.3.",
        ((1.2, "1.2 is the sum of the SSEs; the MSE divides it by the 4 samples."),),
    ),
    Number(
        "For that same batch (course MSE 0.3) the network has 3 outputs. What does Keras's loss='mse' give?",
        0.1, 0.001,
        "Keras averages the squared errors over the outputs as well as the samples, so its number is the "
        "course's MSE divided by the number of outputs: 0.3 / 3 = 0.1.",
        ((0.9, "0.9 multiplies by the 3 outputs; Keras divides by them."),
         (0.3, "0.3 is the course's MSE. Keras also averages over the outputs.")),
    ),
    Number(
        "One pass over 1000 samples in batches of 32: how many iterations?",
        32, 0.1,
        "1000 / 32 = 31.25: 31 full batches hold 992 samples, and the 8 left over form one more, shorter "
        "batch. So ceil(1000 / 32) = 32 iterations.",
        ((31, "31 rounds down and leaves the last 8 samples out of the epoch."),
         (31.25, "31.25 is 1000 / 32, but iterations are whole batches: the 8 left-over samples make a 32nd.")),
    ),
    Choice(
        "What is one iteration?",
        (("One pass over all the training samples.", "That is an epoch; it holds many iterations."),
         ("One training run from start to finish.", "A run is many epochs of many iterations."),
         ("Computing the SSE of one sample.", "The loss of one sample is part of an iteration, not all of it."),
         ("Processing one batch: predict, compute the loss, update the weights.", "")),
        "d",
        "The network scores a whole batch with one number and updates its weights once per batch. That "
        "one batch's work is one iteration.",
    ),
)

LESSON_04 = (
    Number(
        "W = 0.5, the slope of the loss there is 0.2, and the learning rate is 0.1. What is W after one "
        "update?",
        0.48, 0.0005,
        "Move against the slope, scaled by the learning rate: W_new = 0.5 - 0.1 x 0.2 = 0.48. The slope is "
        "positive, so W decreases.",
        ((0.52, "0.52 adds lr x slope: that moves uphill, with the slope instead of against it."),
         (0.3, "0.3 subtracts the slope without the learning rate: the learning rate scales every step."),
         (0.02, "0.02 is the size of the step, lr x slope, not the new weight.")),
    ),
    Choice(
        "At the current weight the slope of the loss is +0.8. Which way should the weight move?",
        (("up, to a larger value", "A positive slope means the loss rises as the weight grows: going up "
                                   "goes uphill."),
         ("down, to a smaller value", ""),
         ("nowhere: a slope of 0.8 means the minimum", "At the minimum the slope is 0."),
         ("it depends on the learning rate", "The learning rate sets how far to go, never which way.")),
        "b",
        "The slope points uphill. Only its sign decides the direction: positive means move down, negative "
        "means move up. The update rule's minus sign does exactly that.",
    ),
    Number(
        "On the lesson's bowl, L(W) = (W - 0.655)^2 + c, what is the slope dL/dW at W = 0.255?",
        -0.8, 0.001,
        "The slope of the bowl is 2 (W - 0.655), so at 0.255 it is 2 x (-0.4) = -0.8: negative, because "
        "0.255 is left of the minimum, where the loss falls as W grows.",
        ((-0.4, "-0.4 is W - 0.655 without the factor 2 from differentiating the square."),
         (0.8, "0.8 has the wrong sign: left of the minimum the curve falls as W grows.")),
    ),
    Number(
        "On the same bowl, gradient descent multiplies the distance to the minimum by (1 - 2 lr) at every "
        "step. Which learning rate lands exactly on the minimum in one step, from any starting weight?",
        0.5, 0.001,
        "One step lands on the minimum when the distance is multiplied by 0: 1 - 2 lr = 0, so lr = 0.5. Below "
        "0.5 the weight creeps closer from one side; between 0.5 and 1 it zig-zags in; above 1 it runs off.",
        ((1.0, "lr = 1 multiplies the distance by -1: the weight jumps to the mirror point on the other side, "
               "and back, for ever."),
         (0.25, "lr = 0.25 multiplies the distance by 0.5: it halves it, but does not land.")),
    ),
    Choice(
        "On the bowl, with a learning rate of 1.05, what does gradient descent do?",
        (("It creeps towards the minimum in tiny steps.", "That is a small rate, such as 0.01."),
         ("It zig-zags across the minimum and settles there.", "That happens for rates between 0.5 and 1."),
         ("It jumps across the minimum and lands further away each time: it diverges.", ""),
         ("It stops at the minimum after one step.", "Only a rate of exactly 0.5 does that on this bowl.")),
        "c",
        "Each step multiplies the distance to the minimum by 1 - 2 x 1.05 = -1.1: the sign flips (it crosses "
        "the minimum) and the distance grows by 10% every step, so the weight runs off.",
    ),
    Choice(
        "Why are learning rates for real networks usually as small as 0.01 to 0.0001?",
        (("Small rates make each step faster to compute.", "Every step costs the same whatever the rate."),
         ("The update rule only works for rates below 0.01.", "The rule works for any positive rate; "
                                                              "whether the steps help is the question."),
         ("Large rates make the slope point the wrong way.", "The rate never changes the slope; it only "
                                                             "scales the step."),
         ("A real loss is much steeper in some directions than others, and a rate that suits a gentle "
          "direction overshoots in a steep one.", "")),
        "d",
        "In plain gradient descent, one learning rate serves every weight. To avoid overshooting in the "
        "steepest directions it has to be small, and training makes up for it with many steps.",
    ),
)

LESSON_05 = (
    Choice(
        "What does backpropagation compute?",
        (("The slope of the loss with respect to every weight, in one sweep from the output back to the "
          "input.", ""),
         ("The new weights after an update.", "The update uses backpropagation's result; computing the "
                                              "gradient and stepping are separate jobs."),
         ("The network's predictions.", "That is the forward pass, which runs first."),
         ("The best learning rate.", "The learning rate is chosen by you, not computed.")),
        "a",
        "Backpropagation applies the chain rule one operation at a time, from the loss backwards, and comes "
        "out with dL/dw for every weight at a cost of the same order as one forward pass.",
    ),
    Number(
        "The network gives the true class a probability of 0.5. What is its cross-entropy loss, -log p, "
        "with the natural log?",
        0.6931, 0.0005,
        "-ln 0.5 = ln 2 = 0.6931. A probability of 1 would give 0; the smaller the probability of the true "
        "class, the larger the loss, without limit.",
        ((0.301, "0.301 is -log10(0.5): the cross-entropy uses the natural log."),
         (0.5, "0.5 is 1 - p, not -log p.")),
    ),
    Number(
        "A softmax output gives (0.2, 0.5, 0.3) and the true class is 1. With cross-entropy as the loss, "
        "what is dL/dz for class 1's score z?",
        -0.5, 0.001,
        "For softmax followed by cross-entropy the gradient with respect to the scores is the prediction "
        "minus the one-hot truth: (0.2, 0.5, 0.3) - (0, 1, 0) = (0.2, -0.5, 0.3). Class 1's entry is "
        "0.5 - 1 = -0.5: negative, so raising that score lowers the loss.",
        ((0.5, "+0.5 has the sign flipped: one-hot minus prediction instead of prediction minus one-hot."),
         (-2.0, "-2 is dL/dp = -1/p, the gradient before the softmax's own backward step.")),
    ),
    Choice(
        "For one sample, a hidden ReLU unit's input z is -0.3. What gradient do the weights feeding into "
        "that unit get from this sample?",
        (("zero", ""),
         ("the same as if the unit were on", "The ReLU's slope is 0 where z is negative: nothing flows back."),
         ("a negative gradient, because z is negative", "The sign of z does not carry into the gradient; the "
                                                       "ReLU's slope there is simply 0."),
         ("a very large one, to switch the unit back on", "Gradients carry no such intent: an off unit "
                                                          "passes back nothing.")),
        "a",
        "The ReLU's output is 0 for every negative z, so small changes to z (or to the weights behind it) do "
        "not change the loss: its local slope is 0, and the chain rule multiplies the gradient by that 0.",
    ),
    Number(
        "A weight's gradient is dL/dw = -0.2. If the weight is nudged up by 0.01, by about how much does the "
        "loss change? (Give the sign.)",
        -0.002, 0.0001,
        "For a small nudge the loss changes by about gradient x nudge: -0.2 x 0.01 = -0.002. The gradient is "
        "negative, so moving the weight up lowers the loss.",
        ((0.002, "+0.002 has the wrong sign: a negative gradient means the loss falls as the weight grows."),
         (-0.2, "-0.2 is the gradient itself: it is the change per unit of weight, and the nudge is 0.01.")),
    ),
    Choice(
        "Numerical gradients (nudge each weight up and down) are easy to write. Why does training use "
        "backpropagation instead?",
        (("Numerical gradients are always wrong.", "They agree with backpropagation to many digits; the "
                                                   "lesson uses them to check it."),
         ("Backpropagation needs no loss function.", "It starts from the loss."),
         ("Numerical gradients cannot handle ReLU.", "They work on any loss; they are only slow."),
         ("A numerical gradient costs two forward passes per weight: over a million for a modest network, "
          "at every step.", "")),
        "d",
        "Backpropagation gives every weight's gradient at a cost of the same order as one forward pass "
        "(each layer's backward step does two matrix products where the forward step does one). The numerical "
        "gradient stays useful as a test: compare the two by their relative error.",
    ),
)

LESSON_06 = (
    Choice(
        "In which order does one iteration of the training loop do its four jobs?",
        (("backward pass, forward pass, update, loss", "The backward pass needs the values the forward pass "
                                                       "kept, so it cannot come first."),
         ("forward pass, loss, backward pass, update", ""),
         ("forward pass, update, loss, backward pass", "The update needs the gradients, which the backward "
                                                       "pass computes."),
         ("loss, forward pass, backward pass, update", "The loss compares predictions with the truth: it "
                                                       "needs the forward pass first.")),
        "b",
        "Predict, score, get the gradients, step: each job needs what the one before produced.",
    ),
    Number(
        "2100 samples, a batch size of 128, 5 epochs. How many weight updates is that in all?",
        85, 0.5,
        "2100 / 128 = 16.40625, so an epoch takes ceil(2100 / 128) = 17 iterations (16 full batches and one of "
        "52). One update per iteration: 17 x 5 = 85.",
        ((80, "80 rounds 16.40625 down to 16 per epoch and drops the last, shorter batch of 52 samples."),
         (82.03125, "82.03125 is 5 x 2100 / 128, but iterations come in whole batches: 17 per epoch, not "
                     "16.40625.")),
    ),
    Choice(
        "Why does the loop shuffle the samples every epoch?",
        (("So that the network forgets what it learned before.", "Nothing is forgotten: the weights carry "
                                                                 "over from epoch to epoch."),
         ("To make each epoch faster.", "Shuffling costs a little time; it saves none."),
         ("So that every batch is a small fair sample of the data, and the batches differ from epoch to "
          "epoch.", ""),
         ("Because the loss cannot be computed on sorted data.", "It can; but on sorted data the first "
                                                                 "batches would all be of one kind.")),
        "c",
        "Data often arrive sorted. In the trial's original order the first 100 iterations would all see "
        "people without side effects, and the network would learn to say 'no' to everyone. Shuffled "
        "batches each point roughly where the whole data set points.",
    ),
    Choice(
        "A first-layer ReLU unit starts with a negative weight and a bias of 0, and every input is a scaled "
        "age in [0, 1]. What happens to it during training?",
        (("It switches on after a few epochs.", "To switch on it would need a gradient, and it never gets one."),
         ("Its weight becomes positive after the first update.", "Its weight has a gradient of 0, so the "
                                                                 "update leaves it unchanged."),
         ("It learns faster than the others.", "An off unit passes no gradient back, so it does not learn "
                                               "at all."),
         ("It stays off for every age and gets a gradient of 0 from every batch, so it never changes.", "")),
        "d",
        "z = x W + b is at most 0 when W is negative, b is 0 and x is never negative, so the ReLU outputs 0 "
        "for every age and lets no gradient through. A weight with gradient 0 is not moved by the update.",
    ),
    Choice(
        "What is the loss the loop reports for an epoch?",
        (("The mean of the epoch's batch losses, each weighted by its batch size.", ""),
         ("The loss of the last batch.", "One batch of 10 says little; its loss jumps around from batch to "
                                         "batch."),
         ("The loss of the finished network on all the data.", "Each batch's loss is measured before that "
                                                               "batch's update, with the weights as they were "
                                                               "then."),
         ("The smallest batch loss of the epoch.", "That would flatter the network.")),
        "a",
        "The loop adds up loss x batch size over the epoch's batches and divides by the number of samples. "
        "Keras reports its epoch loss the same way.",
    ),
)

LESSON_07 = (
    Number(
        "How many parameters (weights and biases) does Dense(units=8) have when it takes 3 inputs?",
        32, 0.5,
        "The kernel is 3 x 8 = 24 weights, plus one bias per unit, 8: 32 in all. The same count gives the "
        "lesson's 1 x 16 + 16 = 32 for its first layer.",
        ((24, "24 counts the kernel only; each of the 8 units also has a bias."),
         (11, "11 adds the inputs and units; the kernel holds one weight per input-unit pair.")),
    ),
    Choice(
        "What does compile choose?",
        (("the layers and their sizes", "Those are given to Sequential."),
         ("the data, the batch size and the number of epochs", "Those are fit's arguments."),
         ("the optimizer, the loss and the metrics to report", ""),
         ("the initial weights", "They are drawn when the layers are built, from the random seed.")),
        "c",
        "Sequential says what the network is, compile says how it learns (optimizer and loss) and what to "
        "report (metrics), and fit runs the training loop on the data.",
    ),
    Number(
        "Adam with learning rate 0.001 takes its first step (t = 1, m and v starting at 0) for a weight "
        "whose gradient is 50. By how much does the weight change? (Give the sign.)",
        -0.001, 0.00002,
        "At t = 1 Adam's bias corrections make m / sqrt(v) equal to g / |g| (but for the tiny epsilon), so "
        "the first step is the learning rate against the gradient's sign: -0.001, whatever the size of the "
        "gradient.",
        ((-0.05, "-0.05 is plain SGD's step, lr x g. Adam divides by sqrt(v), the gradient's own size."),
         (0.001, "+0.001 moves with the gradient: like SGD, Adam steps against it.")),
    ),
    Choice(
        "The output layer is Dense(units=2, activation='sigmoid') and the loss is categorical cross-entropy. "
        "What is wrong?",
        (("Nothing: sigmoid outputs are probabilities.", "Each one is between 0 and 1, but the pair need not "
                                                         "add up to 1."),
         ("Sigmoid layers cannot be trained with Adam.", "Any layer can; the problem is what the outputs "
                                                         "mean."),
         ("Sigmoid outputs can be negative.", "A sigmoid's output is always between 0 and 1."),
         ("Each sigmoid squashes its own output, so the two outputs need not sum to 1, while the loss "
          "expects one probability per class, summing to 1.", "")),
        "d",
        "What the loss then trains on depends on the library underneath (divided by the sum, or a softmax of "
        "the values before the sigmoid), and predict shows neither. A softmax output layer sums to 1 and "
        "fixes it.",
    ),
    Choice(
        "Which output layer belongs with categorical cross-entropy for a network that picks one of several "
        "classes?",
        (("softmax", ""),
         ("sigmoid", "A sigmoid suits a yes/no output with binary cross-entropy, or several independent "
                     "yes/no labels."),
         ("relu", "ReLU outputs are not bounded by 1 and do not sum to 1."),
         ("linear", "Linear outputs can be any numbers, even negative.")),
        "a",
        "Softmax turns the scores into positive numbers that sum to 1, one probability per class: exactly "
        "what the loss expects, so it scores what predict returns, on every backend.",
    ),
    Choice(
        "The verbose=2 log prints an accuracy on the line of each epoch. What does that number describe?",
        (("The finished network, scored on all the training data.", "That is what evaluate measures; it "
                                                                     "usually differs a little."),
         ("The mean over the epoch's batches, each scored while the network was still changing.", ""),
         ("The network's accuracy on new people.", "The log measures the training data only."),
         ("The accuracy of the last batch.", "The log averages over every batch of the epoch.")),
        "b",
        "Each batch is scored just before its own update, so with 210 batches the epoch's figure mixes 210 "
        "slightly different networks. It tracks progress well; to score a finished network, use evaluate.",
    ),
)

LESSON_08 = (
    Choice(
        "What does history.history['loss'] hold after fit(..., epochs=20)?",
        (("the loss on held-out data", "That would be 'val_loss', present only when fit validates."),
         ("one value per batch", "fit keeps only the epoch means; a callback can keep the batch losses."),
         ("only the final loss", "The whole list is kept, one value per epoch."),
         ("one value per epoch: 20 epoch losses", "")),
        "d",
        "History.history is a dict of lists with one value per epoch for each metric: the numbers the "
        "verbose=2 log prints. Plotted against the epoch, they are the training curves.",
    ),
    Number(
        "Four people have labels (0, 1, 1, 0). The network's probability rows are (0.8, 0.2), (0.4, 0.6), "
        "(0.7, 0.3) and (0.45, 0.55). What is its accuracy?",
        0.5, 0.001,
        "The predicted class is each row's argmax: 0, 1, 0, 1. Compared with the labels 0, 1, 1, 0, the "
        "first two are right and the last two wrong: 2 of 4 = 0.5.",
        ((0.75, "0.75 counts the last person as right; 0.55 for class 1 beats 0.45, so the prediction is 1."),
         (2, "2 is the number of right answers; accuracy is their share, 2 / 4.")),
    ),
    Number(
        "In a data set of 2100 people, 100 break the age rule. What is the best accuracy any model that sees "
        "only the age could reach? (Four decimals.)",
        0.9524, 0.0005,
        "At each age the best a model can do is give everyone the majority's answer, so at best it gets the "
        "2000 typical people right and the 100 exceptions wrong: 2000 / 2100 = 0.9524.",
        ((1.0, "1 is a perfect score: it would need the exceptions too, and they look just like the typical "
               "people of their age."),
         (0.0476, "0.0476 is the share of exceptions, 100 / 2100: the share the model must get wrong.")),
    ),
    Choice(
        "Late in training the loss curve flattens, though every epoch makes the same 210 updates. Why?",
        (("fit lowers the learning rate automatically.", "nnbook's fit, like Keras's, keeps the learning "
                                                         "rate fixed."),
         ("The network stops updating its weights after 10 epochs.", "The weights still move every "
                                                                     "epoch, only less far."),
         ("The batches' gradients disagree more and more, so Adam's steps shrink; at learning rate 0.0001 "
          "they were small to begin with.", ""),
         ("The data run out.", "Every epoch sees all 2100 people again.")),
        "c",
        "The batch gradients point this way and that: they cancel in Adam's running mean m but not in v, so "
        "m / sqrt(v) and the steps shrink. The network is not near its limit: trained for 100 epochs, or at "
        "learning rate 0.001, it gets close to the accuracy ceiling.",
    ),
    Choice(
        "After training, the accuracy evaluate gives on the training data differs a little from the last "
        "value in the History. Why?",
        (("evaluate uses different data.", "Both scored the same 2100 training people."),
         ("evaluate scores the finished network; the History's value is a running score over an epoch in "
          "which the weights kept changing.", ""),
         ("One of the two has a bug.", "Both are right; they measure different networks."),
         ("evaluate rounds its result.", "Neither rounds: they are different numbers.")),
        "b",
        "Each batch of the last epoch was scored before its own update. evaluate (or a count by hand of "
        "argmax against the labels) scores the network as it finally is.",
    ),
)

LESSON_09 = (
    Number(
        "The network was trained on ages scaled as x = (age - 13) / (100 - 13). What input does a "
        "56-year-old get? (Four decimals.)",
        0.4943, 0.0005,
        "(56 - 13) / 87 = 43 / 87 = 0.4943. New inputs must be scaled exactly as the training inputs were.",
        ((0.56, "0.56 is age / 100: a different scaling from the one the network was trained with."),
         (56, "56 is the raw age: far outside the [0, 1] range the network has seen.")),
    ),
    Choice(
        "What does the trained network need in order to predict for a new person?",
        (("the whole training set again", "The training set is used only to learn the weights."),
         ("the age and whether the person had side effects", "If the outcome were known there would be "
                                                             "nothing to predict; labels are needed only for "
                                                             "training and scoring."),
         ("the age, scaled the same way as in training", ""),
         ("the loss function", "The loss is only needed for training.")),
        "c",
        "Inference runs the forward pass on the input alone. The input must be prepared exactly like the "
        "training inputs: same scaling, one row per person.",
    ),
    Choice(
        "The network answers (0.52, 0.48) for a new person; the class names are ('no side effects', "
        "'side effects'). What does it predict?",
        (("'side effects'", "0.48 is the smaller probability."),
         ("'no side effects'", ""),
         ("nothing: it is too unsure", "The predicted class is the argmax, however close the call; how sure "
                                       "the network is can be read from the probabilities."),
         ("both, with equal weight", "One class is chosen: the more probable one.")),
        "b",
        "The predicted class is the argmax of the row, position 0, and the class names in label order say "
        "position 0 is 'no side effects'. At 52% the network is far from sure, and the probability says so.",
    ),
    Choice(
        "Why are ages outside 13 to 100 refused?",
        (("The network only accepts whole numbers.", "It takes any scaled age; 45.5 would work."),
         ("The scaling divides by zero there.", "It divides by 87 for every age."),
         ("Softmax fails for inputs above 1.", "Softmax works for any scores; the question is whether the "
                                               "answer means anything."),
         ("The network never saw anyone that young or old, so its answer there would be a guess beyond its "
          "data.", "")),
        "d",
        "A network learns from the range of inputs it was trained on. Outside it, the scaled input lies "
        "below 0 or above 1, where nothing in the training data tells the network what to say.",
    ),
    Choice(
        "A second study of 2100 new people recorded outcomes. How are their labels used?",
        (("Only after predicting, to score the predictions.", ""),
         ("They are fed to the network with the ages.", "The network's input is the age alone; it has no "
                                                        "place for a label."),
         ("They retrain the network before it predicts.", "Then the people would no longer be new to it, and "
                                                          "the score would say nothing about new people."),
         ("They are not used at all.", "They are: they tell us how often the predictions were right.")),
        "a",
        "Predict first from the ages alone, then compare with what really happened. On people it never saw, "
        "the lesson's network scored about as well as on its training data.",
    ),
)

LESSON_10 = (
    Choice(
        "Which rows does fit(x, y, validation_split=0.1) hold out for validation?",
        (("a random 10% of the rows", "It takes no random sample: it cuts off the end of x and y."),
         ("the last 10% of the rows, taken before any shuffling", ""),
         ("the first 10% of the rows", "The first rows are trained on."),
         ("a different 10% every epoch", "The split is made once, before training starts.")),
        "b",
        "Keras's rule, which nnbook follows: the last fraction of x and y, cut off before fit shuffles "
        "anything. fit's shuffle then mixes only the training rows.",
    ),
    Number(
        "How many of 2100 rows does validation_split=0.15 hold out?",
        315, 0.5,
        "Training keeps the first int(2100 x 0.85) = 1785 rows; the last 2100 - 1785 = 315 are held out.",
        ((1785, "1785 is the number of rows kept for training."),),
    ),
    Choice(
        "Ordered data have every exception in their last rows. Does fit(..., shuffle=True, "
        "validation_split=0.1) give a fair validation set?",
        (("Yes: shuffle=True mixes the rows first.", "fit shuffles only the training rows, after the split."),
         ("No, and nothing can fix it.", "Shuffling once before the split fixes it."),
         ("Yes, if the batch size is small.", "The batch size does not change which rows are held out."),
         ("No: the split takes the last rows before shuffling, so shuffle the data once yourself before "
          "splitting.", "")),
        "d",
        "The held-out rows are cut off first, so they hold all the exceptions. A seeded permutation of the "
        "rows before fit makes the validation set a fair sample of the whole study.",
    ),
    Choice(
        "Training and validation loss are both high, close together, and still creeping down when training "
        "stops. What is this?",
        (("under-fitting", ""),
         ("over-fitting", "Over-fitting shows a gap: training loss down, validation loss up."),
         ("a good fit", "A good fit ends near the lowest loss the data allow, not far above it."),
         ("a validation set unlike the training set", "That shows as validation getting worse while "
                                                       "training looks excellent.")),
        "a",
        "The network has not learned the pattern that is there: it is too small, or not trained enough for "
        "its settings. Train longer, raise the learning rate, or use a larger network.",
    ),
    Choice(
        "The training loss keeps falling while the validation loss reaches a minimum and then rises. What "
        "helps?",
        (("Train for more epochs.", "More epochs widen the gap: the network learns its training samples "
                                    "even more closely."),
         ("A larger learning rate.", "That does not stop the network from learning its samples by heart."),
         ("More data, a smaller network, or stopping at the epoch with the lowest validation loss.", ""),
         ("Validate on the training data instead.", "Then the problem would be hidden, not solved.")),
        "c",
        "This is over-fitting: the network learns the particular samples, noise included. Fewer weights per "
        "sample, more samples, or early stopping (Keras's EarlyStopping callback) keep it to the rule.",
    ),
)

LESSON_11 = (
    Number(
        "A dense layer reads one row of numbers per sample. How many inputs does one 8 x 8 picture give it?",
        64, 0.5,
        "Flattening lays the 8 rows of 8 pixels end to end: 8 x 8 = 64 inputs, one per pixel.",
        ((8, "8 is one row of the picture; flattening keeps all 8 rows, one after another."),
         (16, "16 is 8 rows plus 8 columns; every pixel is an input of its own.")),
    ),
    Choice(
        "The digits' pixels are whole numbers from 0 to 16. Why does the lesson divide them by 16 before "
        "training?",
        (("to put every input in [0, 1], a small range that keeps the first training steps well behaved", ""),
         ("because the network needs whole numbers", "Dividing by 16 gives fractions: the network works with "
                                                     "any real numbers."),
         ("to make the pictures smaller", "The picture keeps its 64 pixels; only their values shrink."),
         ("because softmax needs inputs that sum to 1", "Softmax acts on the output layer's scores, not on "
                                                        "the inputs.")),
        "a",
        "It is the same idea as scaling the ages to [0, 1] in lesson 09: inputs of a similar, small size. The "
        "largest pixel value, 16, becomes 1, and no ink stays 0.",
    ),
    Choice(
        "Which one-hot row is the target for a picture of the digit 3, with ten classes 0 to 9?",
        (("(0, 0, 1, 0, 0, 0, 0, 0, 0, 0)", "That is the digit 2: columns count from 0."),
         ("(0, 0, 0, 1, 0, 0, 0, 0, 0, 0)", ""),
         ("(0, 0, 0, 0, 0, 0, 0, 0, 0, 3)", "A one-hot row holds a single 1, never the label's value."),
         ("(3)", "That is the integer label; the one-hot row has one column per class.")),
        "b",
        "The row has one column per class, 0 to 9, and a 1 in the column of the label: column 3 is the fourth.",
    ),
    Number(
        "How many weights (biases included) does Dense(32) have when it reads the 64 inputs of a digit?",
        2080, 0.5,
        "Its kernel is (64, 32), one weight per input and unit: 2048; plus one bias per unit, 32: 2080.",
        ((2048, "2048 is the kernel alone; each of the 32 units also has a bias."),),
    ),
    Choice(
        "In a confusion matrix with the true digit down and the predicted digit across, row 9, column 5 "
        "holds 3. What does that mean?",
        (("Three pictures of a 5 were called 9.", "Rows are the true digits: it is the other way round."),
         ("Three pictures of a 9 were called 5.", ""),
         ("The network gave the 5 a probability of 0.3 for a 9.", "A confusion matrix counts pictures; it "
                                                                  "holds no probabilities."),
         ("Three nines were right.", "The right answers are on the diagonal, row 9, column 9.")),
        "b",
        "Row t, column p counts the pictures of t that the network called p. Off the diagonal every count is "
        "a mistake, and where it sits says which digit was taken for which.",
    ),
    Choice(
        "Why can each of the first layer's 32 units be drawn as an 8 x 8 picture?",
        (("Its column of the kernel holds one weight per pixel: 64 weights, put back on the 8 x 8 grid.", ""),
         ("Each unit stores a training picture it memorised.", "A unit stores weights only; they start "
                                                               "random and move with the gradient."),
         ("Each unit outputs an 8 x 8 picture.", "A unit outputs one number, relu(x @ w + b)."),
         ("Because there are 32 digits.", "There are ten digits; 32 is the number of hidden units we chose.")),
        "a",
        "The kernel is (64, 32): column j is unit j's weight for each of the 64 inputs, and input 8r + c is "
        "pixel (r, c). Reshaping the column to 8 x 8 shows where ink raises or lowers the unit's input.",
    ),
)

#: The questions of each lesson, by its two-digit number.
BY_LESSON = {
    "01": LESSON_01, "02": LESSON_02, "03": LESSON_03, "04": LESSON_04, "05": LESSON_05,
    "06": LESSON_06, "07": LESSON_07, "08": LESSON_08, "09": LESSON_09, "10": LESSON_10,
    "11": LESSON_11,
}
