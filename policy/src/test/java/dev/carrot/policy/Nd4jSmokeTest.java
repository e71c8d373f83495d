package dev.carrot.policy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;
class Nd4jSmokeTest {
  @Test void gemm() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 512, 512), b = Nd4j.rand(DataType.FLOAT, 512, 512);
    INDArray c = Nd4j.createUninitialized(DataType.FLOAT, new long[]{512,512}, 'f');
    for (int i=0;i<5;i++) Nd4j.gemm(a,b,c,false,false,1.0,0.0);
    long t=System.nanoTime(); int n=50;
    for (int i=0;i<n;i++) Nd4j.gemm(a,b,c,false,false,1.0,0.0);
    double s=(System.nanoTime()-t)/1e9; System.out.println("GFLOPs " + 2.0*512*512*512*n/s/1e9);
  }
}
