"""nnbook: the small numpy library behind the course "How a neural network learns".

One module per idea, each matching a lesson; open the module from the lesson and the formula on the page
is the code on the screen.

================= ================================================================ =======
module            idea                                                             lesson
================= ================================================================ =======
encoding          class names, integer labels, one-hot rows, argmax back to a name 02
losses            SSE, MSE, cross-entropy, and their gradients                     03
descent           the weight-update rule, the loss bowl, gradient descent          04
activations       relu, sigmoid, softmax, tanh, linear: forward and backward       05
layers            ``Dense``: forward and backward side by side                     05
optimizers        ``SGD`` and ``Adam``                                             06-07
models            ``Sequential`` with Keras's compile / fit / evaluate / predict   07
curves            loss and accuracy per epoch, training vs validation              08, 10
inference         from a trained model to probabilities and class names            09
data              the pets batch and the drug-trial study                          02-10
checks            the self-graded exercises' checks                                02-08
plots, widgets    figures and live widgets of lessons 01-04                        01-04
training_widgets  the backprop nudge and the live training curves                  05-06
utils             ``set_random_seed``: reproducible runs                           06-10
================= ================================================================ =======

Tools behind the ``nnbook`` command (not lessons): ``notebooks`` (``nnbook execute``), ``exercises``
(``nnbook exercises build|check``), ``progress`` (``nnbook progress``), ``cli``.
"""

__version__ = "0.1.0"
