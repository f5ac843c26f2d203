internal import CZMQ
