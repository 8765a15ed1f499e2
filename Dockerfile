# Neural Playground: one app replica. For a classroom or more, run several behind deploy/nginx.conf
# (see docs/DEPLOY.md).
#   docker build -t neural-playground .
#   docker run -p 8501:8501 neural-playground
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OMP_NUM_THREADS=1 \
    MKL_NUM_THREADS=1

WORKDIR /app

# torch first, from PyTorch's CPU index at the version requirements.txt pins: the PyPI wheel of the same
# version brings the CUDA libraries (several GB) that a CPU server never uses. The rest comes from PyPI,
# where pip finds the pinned torch already installed.
COPY requirements.txt .
RUN pip install --index-url https://download.pytorch.org/whl/cpu "$(grep -Eo '^torch==[^ #;]+' requirements.txt)" \
 && pip install -r requirements.txt

COPY . .

RUN useradd --create-home --uid 1000 playground
USER playground

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

CMD ["streamlit", "run", "streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
