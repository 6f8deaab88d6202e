"""nnbook: the small numpy library behind the course "How a neural network learns".

One module per idea, each matching a lesson:

========== ====================================================== =======
module     idea                                                   lesson
========== ====================================================== =======
encoding   class names, integer labels, one-hot rows              02
losses     SSE, MSE, cross-entropy                                03
descent    the weight-update rule, the loss bowl, gradient steps  04
========== ====================================================== =======
"""

__version__ = "0.1.0"
