package dev.octet.frontend.onnx;

/**
 * Recognises common files that are not ONNX models by their first bytes, so that "photo.jpg renamed to .onnx"
 * or "a PyTorch checkpoint" is named as such instead of as a corrupt protobuf.
 */
final class FileKind {
    private FileKind() {
    }

    /** What the file looks like ("a JPEG image"), or null if it is none of the kinds known here. */
    static String guess(byte[] head) {
        if (starts(head, 0xFF, 0xD8, 0xFF)) {
            return "a JPEG image";
        } else if (starts(head, 0x89, 'P', 'N', 'G')) {
            return "a PNG image";
        } else if (starts(head, 'G', 'I', 'F', '8')) {
            return "a GIF image";
        } else if (starts(head, 'P', 'K', 3, 4)) {
            return "a zip archive (a PyTorch checkpoint, a Keras or NumPy archive?)";
        } else if (starts(head, 0x1F, 0x8B)) {
            return "a gzip-compressed file (decompress it first)";
        } else if (starts(head, 0x89, 'H', 'D', 'F')) {
            return "an HDF5 file (a Keras model?)";
        } else if (head.length >= 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3') {
            return "a TensorFlow Lite model";
        } else if (starts(head, 0x7F, 'E', 'L', 'F')) {
            return "an executable (ELF)";
        } else if (starts(head, 0x80) && head.length > 1 && head[1] >= 2 && head[1] <= 5) {
            return "a Python pickle (a PyTorch model?)";
        } else if (starts(head, '%', 'P', 'D', 'F')) {
            return "a PDF document";
        }
        return null;
    }

    private static boolean starts(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
