package dev.octet.ir;

/** The model is valid ONNX but uses something Octet does not implement (an operator, an opset, a data type). */
public class UnsupportedModelException extends OctetException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
